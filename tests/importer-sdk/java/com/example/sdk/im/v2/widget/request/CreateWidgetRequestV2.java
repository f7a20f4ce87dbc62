package com.example.sdk.im.v2.widget.request;

import java.util.List;

public class CreateWidgetRequestV2 {

    /** Owner account id */
    @JSONField(name = "owner_id")
    private String ownerId;

    @JSONField(name = "kind")
    private Integer kind;

    @JSONField(name = "size")
    private Long size;

    @JSONField(name = "tags")
    private List<String> tags;

    @JSONField(name = "spec")
    private WidgetSpec spec;

    /** A field only the Java SDK sends */
    @JSONField(name = "note")
    private String note;

    public String getOwnerId() { return ownerId; }
    public Integer getKind() { return kind; }

    public static class WidgetSpec {
        @JSONField(name = "color")
        private String color;

        @JSONField(name = "weight")
        private Long weight;
    }
}
