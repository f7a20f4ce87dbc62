package com.example.sdk.im.v2.widget;

public class WidgetV2UrlContext {
    static final String CREATE_WIDGET = "/im/v2/widgets";
    static final String GET_WIDGET = "/im/v2/widgets/{widget_id}";
    static final String DELETE_WIDGET = "/im/v2/widgets/{widget_id}";
}
