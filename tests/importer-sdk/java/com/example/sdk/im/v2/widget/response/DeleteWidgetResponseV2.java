package com.example.sdk.im.v2.widget.response;

public class DeleteWidgetResponseV2 {
}
