package com.example.sdk.im.v1.gadget.response;

import java.util.List;

public class SendGadgetResponseV1 {
    @JSONField(name = "msgid")
    private Long msgid;

    @JSONField(name = "accepted")
    private List<String> accepted;
}
