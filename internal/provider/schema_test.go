package provider

import (
	"context"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

// fullChat sets every field, so a value missing from chatValues or typed
// unlike the schema fails below.
func fullChat() client.Chat {
	s, b, n, at := ptr("x"), ptr(true), ptr(int64(3)), ptr(time.Date(2026, 2, 3, 12, 30, 0, 0, time.UTC))
	return client.Chat{
		ID: "id", Phone: s, Name: s, IsGroup: b, IsGroupAnnouncement: b, Archived: b, Pinned: b, Muted: b,
		MuteEndTime: at, MutedForever: b, MarkedSpam: b, UnreadCount: n, LastMessageTime: at, ProfilePicURL: s, CreatedAt: at,
		LastMessage: &client.Message{ID: s, Content: s, Timestamp: at, FromMe: b, Type: s},
		Notes:       &client.Notes{ID: s, Content: s, CreatedAt: at, LastUpdatedAt: at},
	}
}

func ptr[T any](v T) *T { return &v }

func TestChatModel_SchemaTypesAndValuesAgree(t *testing.T) {
	full := fullChat()
	values := chatValues(&full)
	schemaNames := slices.Sorted(maps.Keys(chatAttributes()))
	for what, names := range map[string][]string{
		"chatAttrTypes": slices.Sorted(maps.Keys(chatAttrTypes)),
		"chatValues":    slices.Sorted(maps.Keys(values)),
	} {
		if !slices.Equal(names, schemaNames) {
			t.Errorf("%s names %v, the schema names %v", what, names, schemaNames)
		}
	}
	for name, v := range values {
		if v.IsNull() {
			t.Errorf("%s is null for a chat with every field set", name)
		}
	}
}

func TestChatsDataSource_ModelMatchesSchema(t *testing.T) {
	ctx := context.Background()
	var resp datasource.SchemaResponse
	newChatsDataSource().Schema(ctx, datasource.SchemaRequest{}, &resp)
	full := fullChat()
	m := chatsDataSourceModel{
		Page: types.Int64Value(1), PageSize: types.Int64Value(10), MaxResults: types.Int64Value(5),
		Search: types.StringValue("a"), UnreadOnly: types.BoolValue(true), SortBy: types.StringValue("name"),
		SortOrder: types.StringValue("asc"), InstanceID: types.StringValue("i"),
		Timeouts: timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{"read": types.StringType})},
		Chats:    types.ListValueMust(chatObjectType, []attr.Value{chatValue(&full)}),
		Total:    types.Int64Value(1), HasMore: types.BoolValue(false),
	}
	state := tfsdk.State{Schema: resp.Schema, Raw: tftypes.NewValue(resp.Schema.Type().TerraformType(ctx), nil)}
	if diags := state.Set(ctx, &m); diags.HasError() {
		t.Fatalf("setting state from a full model: %v", diags)
	}
}

func TestChatDataSource_ValuesMatchSchema(t *testing.T) {
	ctx := context.Background()
	var resp datasource.SchemaResponse
	newChatDataSource().Schema(ctx, datasource.SchemaRequest{}, &resp)
	full := fullChat()
	state := tfsdk.State{Schema: resp.Schema, Raw: tftypes.NewValue(resp.Schema.Type().TerraformType(ctx), nil)}
	for name, v := range chatValues(&full) {
		if diags := state.SetAttribute(ctx, path.Root(name), v); diags.HasError() {
			t.Errorf("setting %s: %v", name, diags)
		}
	}
}

func TestProvider_SchemaIsValid(t *testing.T) {
	ctx := context.Background()
	p := New("test")()
	var resp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &resp)
	if diags := resp.Schema.ValidateImplementation(ctx); diags.HasError() {
		t.Fatalf("provider schema: %v", diags)
	}
	for _, ds := range p.DataSources(ctx) {
		var dsResp datasource.SchemaResponse
		ds().Schema(ctx, datasource.SchemaRequest{}, &dsResp)
		if diags := dsResp.Schema.ValidateImplementation(ctx); diags.HasError() {
			t.Errorf("data source schema: %v", diags)
		}
	}
}
