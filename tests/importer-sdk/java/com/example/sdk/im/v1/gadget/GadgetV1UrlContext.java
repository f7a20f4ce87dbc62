package com.example.sdk.im.v1.gadget;

public class GadgetV1UrlContext {
    static final String SEND_GADGET = "/gadget/send.action";
}
