package com.example.sdk.im.v2.widget;

public interface IWidgetV2Service {

    /**
     * Creates a widget (创建部件).
     */
    Result<CreateWidgetResponseV2> createWidget(CreateWidgetRequestV2 request) throws SdkException;

    Result<GetWidgetResponseV2> getWidget(GetWidgetRequestV2 request) throws SdkException;

    Result<DeleteWidgetResponseV2> deleteWidget(DeleteWidgetRequestV2 request) throws SdkException;
}
