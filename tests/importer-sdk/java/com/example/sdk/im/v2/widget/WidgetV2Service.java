package com.example.sdk.im.v2.widget;

import java.util.HashMap;
import java.util.Map;

public class WidgetV2Service implements IWidgetV2Service {

    private final HttpClient httpClient;

    public WidgetV2Service(HttpClient httpClient) {
        this.httpClient = httpClient;
    }

    @Override
    public Result<CreateWidgetResponseV2> createWidget(CreateWidgetRequestV2 request) throws SdkException {
        if (request.getOwnerId() == null) {
            throw new IllegalArgumentException("ownerId is required");
        }
        JSONObject data = JSONObject.parseObject(JSONObject.toJSONString(request));
        Map<String, String> queryParams = new HashMap<>();
        if (request.getKind() != null) {
            queryParams.put("kind", request.getKind().toString());
            data.remove("kind");
        }
        ApiResponse apiResponse = httpClient.executeV2Api(HttpMethod.POST, WidgetV2UrlContext.CREATE_WIDGET,
                WidgetV2UrlContext.CREATE_WIDGET, queryParams, data.toString());
        return ResultUtils.convert(apiResponse, CreateWidgetResponseV2.class);
    }

    @Override
    public Result<GetWidgetResponseV2> getWidget(GetWidgetRequestV2 request) throws SdkException {
        // The substituted path where the constant goes, as some of the vendor's methods do.
        String path = WidgetV2UrlContext.GET_WIDGET.replace("{widget_id}", request.getWidgetId());
        Map<String, String> queryParams = new HashMap<>();
        if (request.getVerbose() != null) {
            queryParams.put("verbose", request.getVerbose().toString());
        }
        ApiResponse apiResponse = httpClient.executeV2Api(HttpMethod.GET, path, path, queryParams, null);
        return ResultUtils.convert(apiResponse, GetWidgetResponseV2.class);
    }

    @Override
    public Result<DeleteWidgetResponseV2> deleteWidget(DeleteWidgetRequestV2 request) throws SdkException {
        String path = WidgetV2UrlContext.DELETE_WIDGET.replace("{widget_id}", request.getWidgetId());
        ApiResponse apiResponse = httpClient.executeV2Api(HttpMethod.POST, WidgetV2UrlContext.DELETE_WIDGET, path, null, null);
        return ResultUtils.convert(apiResponse, DeleteWidgetResponseV2.class);
    }
}
