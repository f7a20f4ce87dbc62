package widget

// CreateWidgetRequestV2 creates a widget.
type CreateWidgetRequestV2 struct {
	OwnerId string      `json:"owner_id"`       // Owner account id
	Kind    int         `json:"kind"`           // Widget kind
	Size    *int        `json:"size,omitempty"` // Size in units
	Tags    []string    `json:"tags,omitempty"` // Tags
	Spec    *WidgetSpec `json:"spec,omitempty"` // Nested specification
}

// WidgetSpec is a nested object.
type WidgetSpec struct {
	Color  string `json:"color"`  // Colour name
	Weight int64  `json:"weight"` // Weight in grams
}

// GetWidgetRequestV2 reads one widget.
type GetWidgetRequestV2 struct {
	WidgetId string `json:"-"` // Widget id, in the path
	Verbose  *bool  `json:"-"` // Whether to return every field, in the query
}

// DeleteWidgetRequestV2 deletes one widget.
type DeleteWidgetRequestV2 struct {
	WidgetId string `json:"-"` // Widget id, in the path
}
