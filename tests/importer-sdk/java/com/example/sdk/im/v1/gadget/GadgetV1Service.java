package com.example.sdk.im.v1.gadget;

import java.util.Map;

public class GadgetV1Service {

    private final HttpClient httpClient;

    public GadgetV1Service(HttpClient httpClient) {
        this.httpClient = httpClient;
    }

    public Result<SendGadgetResponseV1> sendGadget(SendGadgetRequestV1 request) throws SdkException {
        Map<String, String> paramMap = YunxinParamUtils.convert(request);
        paramMap.put("to", JSONArray.toJSONString(request.getTo()));
        ApiResponse apiResponse = httpClient.executeV1Api(GadgetV1UrlContext.SEND_GADGET, paramMap);
        JSONObject object = JSONObject.parseObject(apiResponse.getData());
        int code = object.getIntValue("code");
        SendGadgetResponseV1 response = object.getObject("info", SendGadgetResponseV1.class);
        return new Result<>(code, response);
    }
}
