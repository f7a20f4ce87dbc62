package com.example.sdk.im.v2.widget.response;

import java.util.List;

public class CreateWidgetResponseV2 {
    @JSONField(name = "widget_id")
    private String widgetId;

    @JSONField(name = "specs")
    private List<WidgetSpec> specs;

    public static class WidgetSpec {
        @JSONField(name = "color")
        private String color;

        @JSONField(name = "weight")
        private Long weight;
    }
}
