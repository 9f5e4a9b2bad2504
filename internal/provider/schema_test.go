package provider

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
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

func fieldNames[T any](fields []field[T]) []string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	return names
}

func TestChatModel_SchemaTypesAndFieldsAgree(t *testing.T) {
	attrs := chatAttributes()
	for what, pair := range map[string][2][]string{
		"chat":         {slices.Sorted(maps.Keys(attrs)), fieldNames(chatFields)},
		"last_message": {slices.Sorted(maps.Keys(attrs["last_message"].(schema.SingleNestedAttribute).Attributes)), fieldNames(messageFields)},
		"notes":        {slices.Sorted(maps.Keys(attrs["notes"].(schema.SingleNestedAttribute).Attributes)), fieldNames(notesFields)},
	} {
		if !slices.Equal(pair[0], pair[1]) {
			t.Errorf("%s: the schema names %v, the state writes %v (in this order)", what, pair[0], pair[1])
		}
	}
}

// dataSourceSchema returns a data source's schema and a configuration that
// sets the given arguments.
func dataSourceSchema(t *testing.T, ds datasource.DataSource, args map[string]tftypes.Value) (datasource.SchemaResponse, tfsdk.Config) {
	t.Helper()
	ctx := t.Context()
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

// The state written for a fully populated chat and an empty one decodes as
// the schema's type and reads back into the model struct, so the struct, the
// schema and the field tables stay in step.
func TestChatsDataSource_StateMatchesModelAndSchema(t *testing.T) {
	ctx := t.Context()
	resp, config := dataSourceSchema(t, newChatsDataSource(), map[string]tftypes.Value{
		"search": tftypes.NewValue(tftypes.String, "a"), "page": tftypes.NewValue(tftypes.Number, 2),
	})
	list := &client.ChatList{Chats: []client.Chat{fullChat(), {ID: "bare"}}, Total: ptr(int64(2)), HasMore: true}
	encoded, err := encodeChatsState(config.Raw, list)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := decodeState(config.Raw.Type(), encoded)
	if err != nil {
		t.Fatalf("the encoded state does not decode as the schema's type: %v", err)
	}
	state := tfsdk.State{Schema: resp.Schema, Raw: raw}
	var m chatsDataSourceModel
	if diags := state.Get(ctx, &m); diags.HasError() {
		t.Fatalf("reading the state into the model: %v", diags)
	}
	if m.Search.ValueString() != "a" || m.Page.ValueInt64() != 2 || m.Total.ValueInt64() != 2 || !m.HasMore.ValueBool() {
		t.Errorf("arguments or results lost: %+v", m)
	}
	var chats []map[string]tftypes.Value
	var list0 []tftypes.Value
	var all map[string]tftypes.Value
	_ = raw.As(&all)
	_ = all["chats"].As(&list0)
	for _, c := range list0 {
		var attrs map[string]tftypes.Value
		_ = c.As(&attrs)
		chats = append(chats, attrs)
	}
	for name, v := range chats[0] {
		if v.IsNull() {
			t.Errorf("%s is null for a chat with every field set", name)
		}
	}
	for name, v := range chats[1] {
		if name != "id" && !v.IsNull() {
			t.Errorf("%s = %v for a chat the API sent nothing for, want null", name, v)
		}
	}
}

func TestChatDataSource_StateMatchesSchema(t *testing.T) {
	ctx := t.Context()
	resp, config := dataSourceSchema(t, newChatDataSource(), map[string]tftypes.Value{
		"phone": tftypes.NewValue(tftypes.String, "+55 11 99999-9999"),
	})
	full := fullChat()
	full.Phone = ptr("5511999999999")
	encoded, err := encodeChatState(config.Raw, &full)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := decodeState(config.Raw.Type(), encoded)
	if err != nil {
		t.Fatalf("the encoded state does not decode as the schema's type: %v", err)
	}
	state := tfsdk.State{Schema: resp.Schema, Raw: raw}
	var phone, chatPhone, name, lastMessageTime types.String
	state.GetAttribute(ctx, path.Root("phone"), &phone)
	state.GetAttribute(ctx, path.Root("chat_phone"), &chatPhone)
	state.GetAttribute(ctx, path.Root("name"), &name)
	state.GetAttribute(ctx, path.Root("last_message_time"), &lastMessageTime)
	if phone.ValueString() != "+55 11 99999-9999" || chatPhone.ValueString() != "5511999999999" || name.ValueString() != "x" ||
		lastMessageTime.ValueString() != "2026-02-03T12:30:00.000Z" {
		t.Errorf("phone = %s, chat_phone = %s, name = %s, last_message_time = %s; want the configured phone and the chat's values",
			phone, chatPhone, name, lastMessageTime)
	}
}

func TestProvider_SchemaIsValid(t *testing.T) {
	ctx := t.Context()
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

// The provider server answers whatsapp_chats reads itself (server.go); the
// framework's path must give the same state.
func TestChatsDataSource_ServerFastPathMatchesFramework(t *testing.T) {
	ctx := t.Context()
	for _, backend := range []string{"zapi", "enviaai"} {
		t.Run(backend, func(t *testing.T) {
			var states [2]tftypes.Value
			for i, server := range []tfprotov6.ProviderServer{
				newServer(&whatsappProvider{version: "test"}),
				providerserver.NewProtocol6(&whatsappProvider{version: "test"})(),
			} {
				server, config := configuredServer(t, server, backend, 250)
				resp, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "whatsapp_chats", Config: config})
				if err != nil || len(resp.Diagnostics) > 0 {
					t.Fatalf("read: %v %v", err, resp.Diagnostics)
				}
				schemas, _ := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
				states[i], err = resp.State.Unmarshal(schemas.DataSourceSchemas["whatsapp_chats"].ValueType())
				if err != nil {
					t.Fatal(err)
				}
			}
			if !states[0].Equal(states[1]) {
				diffs, _ := states[0].Diff(states[1])
				t.Errorf("the fast path's state differs from the framework's in %d values, e.g. %v", len(diffs), diffs[:min(len(diffs), 3)])
			}
			var attrs map[string]tftypes.Value
			var chats []tftypes.Value
			_ = states[0].As(&attrs)
			_ = attrs["chats"].As(&chats)
			if len(chats) != 250 {
				t.Errorf("read %d chats, want 250", len(chats))
			}
		})
	}
}
