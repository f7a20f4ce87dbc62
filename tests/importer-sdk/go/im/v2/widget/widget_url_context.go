package widget

// URL constants, as the vendor's Go SDK writes them.
const (
	CreateWidget = "/im/v2/widgets"             // create a widget
	GetWidget    = "/im/v2/widgets/{widget_id}" // get a widget
	DeleteWidget = "/im/v2/widgets/{widget_id}" // delete a widget
	RetireWidget = "/im/v2/widgets/retired"     // no method calls it
)
