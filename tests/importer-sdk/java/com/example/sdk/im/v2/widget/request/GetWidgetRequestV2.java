package com.example.sdk.im.v2.widget.request;

public class GetWidgetRequestV2 {
    @JSONField(name = "widget_id")
    private String widgetId;

    @JSONField(name = "verbose")
    private Boolean verbose;

    public String getWidgetId() { return widgetId; }
    public Boolean getVerbose() { return verbose; }
}
