package widget

import (
	"encoding/json"
	"fmt"

	"example.invalid/sdk/core"
	"example.invalid/sdk/core/http"
)

// CreateWidget 创建部件
func (s *WidgetServiceImpl) CreateWidget(req *CreateWidgetRequestV2) (*core.Result[*CreateWidgetResponseV2], error) {
	if req.OwnerId == "" {
		return nil, fmt.Errorf("owner id cannot be empty")
	}
	requestBody, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	apiResponse, err := s.httpClient.ExecuteV2Api(http.POST, CreateWidget, nil, nil, string(requestBody))
	if err != nil {
		return nil, err
	}
	return core.Convert[*CreateWidgetResponseV2](apiResponse)
}

// GetWidget 查询部件
func (s *WidgetServiceImpl) GetWidget(req *GetWidgetRequestV2) (*core.Result[*GetWidgetResponseV2], error) {
	pathParams := map[string]string{
		"widget_id": req.WidgetId,
	}
	queryParams := map[string]string{}
	if req.Verbose != nil {
		queryParams["verbose"] = fmt.Sprintf("%t", *req.Verbose)
	}
	apiResponse, err := s.httpClient.ExecuteV2Api(http.GET, GetWidget, pathParams, queryParams, "")
	if err != nil {
		return nil, err
	}
	return core.Convert[*GetWidgetResponseV2](apiResponse)
}

// DeleteWidget 删除部件
func (s *WidgetServiceImpl) DeleteWidget(req *DeleteWidgetRequestV2) (*core.Result[*DeleteWidgetResponseV2], error) {
	pathParams := map[string]string{"widget_id": req.WidgetId}
	apiResponse, err := s.httpClient.ExecuteV2Api(http.DELETE, DeleteWidget, pathParams, nil, "")
	if err != nil {
		return nil, err
	}
	return core.Convert[*DeleteWidgetResponseV2](apiResponse)
}
