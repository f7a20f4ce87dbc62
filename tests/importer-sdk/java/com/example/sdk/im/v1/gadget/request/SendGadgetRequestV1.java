package com.example.sdk.im.v1.gadget.request;

import java.util.List;

public class SendGadgetRequestV1 {
    @YunxinParam("from")
    private String from;

    private List<String> to;

    @YunxinParam("body")
    private String body;

    @YunxinParam("type")
    private Integer type;

    public List<String> getTo() { return to; }
}
