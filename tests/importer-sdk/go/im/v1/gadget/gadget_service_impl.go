package gadget

import (
	"encoding/json"

	"example.invalid/sdk/core"
	"example.invalid/sdk/core/utils"
)

// SendGadget 发送部件
func (s *GadgetServiceImpl) SendGadget(req *SendGadgetRequestV1) (*core.Result[*SendGadgetResponseV1], error) {
	paramMap := utils.Convert(req)
	toJson, _ := json.Marshal(req.To)
	paramMap["to"] = string(toJson)
	apiResponse, err := s.httpClient.ExecuteV1Api(SendGadget, paramMap)
	if err != nil {
		return nil, err
	}
	var jsonObj map[string]interface{}
	if err := json.Unmarshal([]byte(apiResponse.GetData()), &jsonObj); err != nil {
		return nil, err
	}
	code := int(jsonObj["code"].(float64))
	resp := &SendGadgetResponseV1{}
	if dataVal, ok := jsonObj["info"]; ok {
		dataJson, _ := json.Marshal(dataVal)
		json.Unmarshal(dataJson, resp)
	}
	return core.NewResult(code, resp), nil
}
