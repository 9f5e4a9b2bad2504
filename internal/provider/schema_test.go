package provider

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

// fullChat sets every field, so a value the attribute tables do not write,
// or write typed unlike the schema, fails below.
func fullChat() client.Chat {
	s, b, n, at := new("x"), new(true), new(int64(3)), new(time.Date(2026, 2, 3, 12, 30, 0, 0, time.UTC))
	return client.Chat{
		ID: "id", Phone: s, Name: s, IsGroup: b, IsGroupAnnouncement: b, Archived: b, Pinned: b, Muted: b,
		MuteEndTime: at, MutedForever: b, MarkedSpam: b, UnreadCount: n, LastMessageTime: at, ProfilePicURL: s, CreatedAt: at,
		LastMessage: &client.Message{ID: s, Content: s, Timestamp: at, FromMe: b, Type: s},
		Notes:       &client.Notes{ID: s, Content: s, CreatedAt: at, LastUpdatedAt: at},
	}
}

// Each data source's computed attributes are exactly its result table's,
// defined as the table defines them; every other attribute is an argument,
// which the state copies from the configuration.
func TestDataSources_ResultsAreTheirTable(t *testing.T) {
	for _, tc := range []struct {
		name    string
		ds      datasource.DataSource
		results []string
		defs    map[string]schema.Attribute
	}{
		{"whatsapp_chats", newChatsDataSource(), tableNames(chatListAttributes), chatListAttributes.schemaAttributes()},
		{"whatsapp_chat", newChatDataSource(), tableNames(chatResults), chatResults.schemaAttributes()},
		{"whatsapp_chat_summary", newChatSummaryDataSource(), tableNames(chatSummaryAttributes), chatSummaryAttributes.schemaAttributes()},
		{"whatsapp_instances", newInstancesDataSource(), tableNames(instancesResults), instancesResults.schemaAttributes()},
		{"whatsapp_webhooks", newWebhooksDataSource(), tableNames(webhooksResults), webhooksResults.schemaAttributes()},
		{"whatsapp_webhook_deliveries", newWebhookDeliveriesDataSource(), tableNames(deliveryResults), deliveryResults.schemaAttributes()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, _ := dataSourceSchema(t, tc.ds, nil)
			var computed []string
			for name, a := range resp.Schema.Attributes {
				if a.IsComputed() && !a.IsOptional() && !a.IsRequired() {
					computed = append(computed, name)
				}
			}
			slices.Sort(computed)
			if !slices.Equal(computed, tc.results) {
				t.Errorf("the schema computes %v, the table writes %v", computed, tc.results)
			}
			for name, def := range tc.defs {
				if got := resp.Schema.Attributes[name]; got == nil || !got.Equal(def) {
					t.Errorf("%s: the schema has %v, the table %v", name, got, def)
				}
			}
		})
	}
}

func tableNames[T any](table attributeTable[T]) []string {
	names := make([]string, len(table))
	for i, a := range table {
		names[i] = a.name
	}
	return names
}

// A table sorts its attributes by name, as msgpack objects are, and refuses
// a name twice.
func TestAttributeTable_SortedAndUnique(t *testing.T) {
	get := func(s *string) *string { return s }
	table := newAttributeTable(stringAttribute("b", "", get), stringAttribute("a", "", get), stringAttribute("c", "", get))
	if got := tableNames(table); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Errorf("names in order %v, want a, b, c", got)
	}
	if _, ok := table.without("b").lookup("b"); ok || len(table.without("b")) != 2 || len(table) != 3 {
		t.Errorf("without(b) keeps b or changes the table: %v", tableNames(table))
	}
	defer func() {
		if recover() == nil {
			t.Error("a table with two attributes of one name was made")
		}
	}()
	newAttributeTable(stringAttribute("a", "", get), stringAttribute("a", "", get))
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
	list := &client.ChatList{Chats: []client.Chat{fullChat(), {ID: "bare"}}, Total: new(int64(2)), HasMore: true}
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
	full.Phone = new("5511999999999")
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
	for _, er := range p.(provider.ProviderWithEphemeralResources).EphemeralResources(ctx) {
		var erResp ephemeral.SchemaResponse
		er().Schema(ctx, ephemeral.SchemaRequest{}, &erResp)
		if diags := erResp.Schema.ValidateImplementation(ctx); diags.HasError() {
			t.Errorf("ephemeral resource schema: %v", diags)
		}
	}
}

// Each ephemeral resource has exactly its data source's attributes, of the
// same types: one implementation, two faces.
func TestEphemeralResources_SchemaIsTheirDataSources(t *testing.T) {
	ctx := t.Context()
	for _, tc := range []struct {
		ds func() datasource.DataSource
		er func() ephemeral.EphemeralResource
	}{
		{newChatsDataSource, newChatsEphemeralResource},
		{newChatDataSource, newChatEphemeralResource},
	} {
		var dsResp datasource.SchemaResponse
		tc.ds().Schema(ctx, datasource.SchemaRequest{}, &dsResp)
		var erResp ephemeral.SchemaResponse
		tc.er().Schema(ctx, ephemeral.SchemaRequest{}, &erResp)
		if got, want := erResp.Schema.Type().TerraformType(ctx), dsResp.Schema.Type().TerraformType(ctx); !got.Equal(want) {
			t.Errorf("the ephemeral resource's type %s differs from its data source's %s", got, want)
		}
		for name, a := range dsResp.Schema.Attributes {
			e := erResp.Schema.Attributes[name]
			if e.IsRequired() != a.IsRequired() || e.IsOptional() != a.IsOptional() || e.IsComputed() != a.IsComputed() ||
				e.GetMarkdownDescription() != a.GetMarkdownDescription() {
				t.Errorf("%s: the ephemeral attribute is not the data source's", name)
			}
		}
	}
}
