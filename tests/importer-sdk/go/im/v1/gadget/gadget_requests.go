package gadget

// SendGadgetRequestV1 sends a gadget to several accounts.
type SendGadgetRequestV1 struct {
	From string   `json:"from"` // Sender account id
	To   []string `json:"-"`    // Receivers, sent as JSON text
	Body string   `json:"body"` // Message body
	Type int      `json:"type"` // Gadget type; its Rust name cannot be the keyword
}

// SendGadgetResponseV1 is the reply's info object.
type SendGadgetResponseV1 struct {
	MsgId    int64  `json:"msgid"`    // Message id
	Accepted []string `json:"accepted"` // Receivers reached
}
