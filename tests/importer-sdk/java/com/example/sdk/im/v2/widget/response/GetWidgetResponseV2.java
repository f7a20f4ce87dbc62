package com.example.sdk.im.v2.widget.response;

public class GetWidgetResponseV2 {
    @JSONField(name = "widget_id")
    private String widgetId;

    @JSONField(name = "color")
    private String color;
}
