package widget

// CreateWidgetResponseV2 is the created widget.
type CreateWidgetResponseV2 struct {
	WidgetId string       `json:"widget_id"` // The new id
	Specs    []WidgetSpec `json:"specs"`     // Specifications
}

// GetWidgetResponseV2 is one widget.
type GetWidgetResponseV2 struct {
	WidgetId string `json:"widget_id"` // The id
	Color    string `json:"color"`     // Its colour
}

// DeleteWidgetResponseV2 is empty.
type DeleteWidgetResponseV2 struct{}
