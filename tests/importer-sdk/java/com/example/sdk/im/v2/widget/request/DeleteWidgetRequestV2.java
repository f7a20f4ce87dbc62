package com.example.sdk.im.v2.widget.request;

public class DeleteWidgetRequestV2 {
    @JSONField(name = "widget_id")
    private String widgetId;

    public String getWidgetId() { return widgetId; }
}
