package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

// encodeChatState is the state whatsapp_chat's Read writes for chat under
// config, in Terraform's wire form.
func encodeChatState(config tftypes.Value, chat *client.Chat) ([]byte, error) {
	ctx := context.Background()
	var s datasource.SchemaResponse
	newChatDataSource().Schema(ctx, datasource.SchemaRequest{}, &s)
	state := tfsdk.State{Schema: s.Schema, Raw: config.Copy()}
	if diags := setResults(ctx, &state, chatResults, chat); diags.HasError() {
		return nil, fmt.Errorf("%v", diags)
	}
	dv, err := tfprotov6.NewDynamicValue(config.Type(), state.Raw)
	if err != nil {
		return nil, err
	}
	return dv.MsgPack, nil
}
