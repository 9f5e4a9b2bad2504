package provider

import (
	"context"
	"maps"
	"slices"
	"testing"
	"time"

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
	values := chatAttrs(&full)
	schemaNames := slices.Sorted(maps.Keys(chatAttributes()))
	for what, names := range map[string][]string{
		"chatAttrTypes": slices.Sorted(maps.Keys(chatAttrTypes)),
		"chatAttrs":     slices.Sorted(maps.Keys(values)),
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

// dataSourceSchema returns a data source's schema and a configuration that
// sets the given arguments.
func dataSourceSchema(t *testing.T, ds datasource.DataSource, args map[string]tftypes.Value) (datasource.SchemaResponse, tfsdk.Config) {
	t.Helper()
	ctx := context.Background()
	var resp datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &resp)
	typ := resp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	attrs := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		attrs[name] = tftypes.NewValue(at, nil)
	}
	maps.Copy(attrs, args)
	return resp, tfsdk.Config{Schema: resp.Schema, Raw: tftypes.NewValue(typ, attrs)}
}

// The state written from a fully populated chat reads back into the model
// struct, so the struct, the schema and the values stay in step.
func TestChatsDataSource_ModelMatchesSchema(t *testing.T) {
	ctx := context.Background()
	resp, config := dataSourceSchema(t, newChatsDataSource(), map[string]tftypes.Value{
		"search": tftypes.NewValue(tftypes.String, "a"), "page": tftypes.NewValue(tftypes.Number, 2),
	})
	full := fullChat()
	state := tfsdk.State{Schema: resp.Schema}
	list := &client.ChatList{Chats: []client.Chat{full}, Total: ptr(int64(1)), HasMore: true}
	if diags := setChatsState(ctx, config, &state, list); diags.HasError() {
		t.Fatal(diags)
	}
	var m chatsDataSourceModel
	if diags := state.Get(ctx, &m); diags.HasError() {
		t.Fatalf("reading the state into the model: %v", diags)
	}
	if m.Search.ValueString() != "a" || m.Page.ValueInt64() != 2 || m.Total.ValueInt64() != 1 || !m.HasMore.ValueBool() {
		t.Errorf("arguments or results lost: %+v", m)
	}
	if len(m.Chats.Elements()) != 1 {
		t.Fatalf("chats = %v, want one", m.Chats)
	}
}

func TestChatDataSource_StateMatchesSchema(t *testing.T) {
	ctx := context.Background()
	resp, config := dataSourceSchema(t, newChatDataSource(), map[string]tftypes.Value{
		"phone": tftypes.NewValue(tftypes.String, "+55 11 99999-9999"),
	})
	full := fullChat()
	state := tfsdk.State{Schema: resp.Schema}
	if diags := setChatState(config, &state, &full); diags.HasError() {
		t.Fatal(diags)
	}
	var phone, name types.String
	state.GetAttribute(ctx, path.Root("phone"), &phone)
	state.GetAttribute(ctx, path.Root("name"), &name)
	if phone.ValueString() != "+55 11 99999-9999" || name.ValueString() != "x" {
		t.Errorf("phone = %s, name = %s; want the configured phone and the chat's name", phone, name)
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
