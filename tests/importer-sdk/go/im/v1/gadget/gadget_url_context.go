package gadget

const (
	SendGadget = "/gadget/send.action" // send a gadget
)
