package provider

import (
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
)

// benchChats are n chats with every field a Z-API or EnviaAI chat has.
func benchChats(n int) []client.Chat {
	chats := make([]client.Chat, n)
	at := time.Date(2026, 2, 3, 12, 30, 0, 0, time.UTC)
	for i := range chats {
		c := fullChat()
		c.ID = fmt.Sprintf("chat_%06d", i)
		c.Phone = new(fmt.Sprintf("55119%08d", i))
		c.Name = new(fmt.Sprintf("Contact %d", i))
		c.UnreadCount = new(int64(i % 17))
		c.LastMessageTime = new(at.Add(-time.Duration(i) * time.Minute))
		chats[i] = c
	}
	return chats
}

// BenchmarkChatsState1000 measures turning 1,000 decoded chats into the
// data source's encoded state.
func BenchmarkChatsState1000(b *testing.B) {
	ctx := b.Context()
	var sresp datasource.SchemaResponse
	newChatsDataSource().Schema(ctx, datasource.SchemaRequest{}, &sresp)
	config := nullObject(sresp.Schema.Type().TerraformType(ctx).(tftypes.Object))
	list := &client.ChatList{Chats: benchChats(1000), HasMore: false}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := encodeChatsState(config, list); err != nil {
			b.Fatal(err)
		}
	}
}

// nullObject is a configuration that sets no argument.
func nullObject(typ tftypes.Object) tftypes.Value {
	attrs := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for name, t := range typ.AttributeTypes {
		attrs[name] = tftypes.NewValue(t, nil)
	}
	return tftypes.NewValue(typ, attrs)
}

// BenchmarkReadChats10k runs a whole whatsapp_chats read through the
// provider server, as Terraform drives it: configure, read 10,000 chats from
// the in-process emulator, encode the state.
func BenchmarkReadChats10k(b *testing.B) {
	for _, backend := range []string{"zapi", "enviaai"} {
		b.Run(backend, func(b *testing.B) {
			benchmarkRead(b, backend, 10000)
		})
	}
}

func benchmarkRead(b *testing.B, backend string, chats int) {
	ctx := b.Context()
	server, config := configuredServer(b, newServer(&whatsappProvider{version: "bench"}), backend, chats)
	b.ReportAllocs()
	for b.Loop() {
		resp, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "whatsapp_chats", Config: config})
		if err != nil || len(resp.Diagnostics) > 0 {
			b.Fatalf("read: %v %v", err, resp.Diagnostics)
		}
	}
}

// BenchmarkOpenChats10k opens ephemeral whatsapp_chats through the provider
// server, as BenchmarkReadChats10k reads the data source.
func BenchmarkOpenChats10k(b *testing.B) {
	for _, backend := range []string{"zapi", "enviaai"} {
		b.Run(backend, func(b *testing.B) {
			ctx := b.Context()
			server, config := configuredServer(b, newServer(&whatsappProvider{version: "bench"}), backend, 10000)
			b.ReportAllocs()
			for b.Loop() {
				resp, err := server.OpenEphemeralResource(ctx, &tfprotov6.OpenEphemeralResourceRequest{TypeName: "whatsapp_chats", Config: config})
				if err != nil || len(resp.Diagnostics) > 0 {
					b.Fatalf("open: %v %v", err, resp.Diagnostics)
				}
			}
		})
	}
}

// configuredServer configures server for backend against an in-process
// emulator of chats chats, and returns it with a whatsapp_chats
// configuration that sets no argument.
func configuredServer(tb testing.TB, server tfprotov6.ProviderServer, backend string, chats int) (tfprotov6.ProviderServer, *tfprotov6.DynamicValue) {
	configureServer(tb, server, backend, emulatortest.Start(tb, emulator.Options{Chats: chats}).URL, nil)
	return server, chatsConfig(tb, server, nil)
}

// configureServer configures server for backend at baseURL with the
// emulator's credentials.
func configureServer(tb testing.TB, server tfprotov6.ProviderServer, backend, baseURL string, caps *tfprotov6.ConfigureProviderClientCapabilities) {
	ctx := tb.Context()
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		tb.Fatal(err)
	}
	providerType := schemas.Provider.ValueType().(tftypes.Object)
	backendType := providerType.AttributeTypes[backend].(tftypes.Object)
	backendAttrs := map[string]tftypes.Value{}
	for name, t := range backendType.AttributeTypes {
		backendAttrs[name] = tftypes.NewValue(t, nil)
	}
	creds := map[string]map[string]string{
		"zapi":    {"instance_id": "demo-instance", "token": "demo-token", "client_token": "demo-client-token"},
		"enviaai": {"api_key": "demo-api-key", "instance_id": "inst_demo"},
	}[backend]
	for name, v := range creds {
		backendAttrs[name] = tftypes.NewValue(tftypes.String, v)
	}
	backendAttrs["base_url"] = tftypes.NewValue(tftypes.String, baseURL)
	var attrs map[string]tftypes.Value
	_ = nullObject(providerType).As(&attrs)
	attrs[backend] = tftypes.NewValue(backendType, backendAttrs)
	dv, err := tfprotov6.NewDynamicValue(providerType, tftypes.NewValue(providerType, attrs))
	if err != nil {
		tb.Fatal(err)
	}
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &dv, TerraformVersion: "1.11.4", ClientCapabilities: caps})
	if err != nil || len(resp.Diagnostics) > 0 {
		tb.Fatalf("configure: %v %v", err, resp.Diagnostics)
	}
}

// chatsConfig is a whatsapp_chats configuration that sets args.
func chatsConfig(tb testing.TB, server tfprotov6.ProviderServer, args map[string]tftypes.Value) *tfprotov6.DynamicValue {
	schemas, err := server.GetProviderSchema(tb.Context(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		tb.Fatal(err)
	}
	dsType := schemas.DataSourceSchemas["whatsapp_chats"].ValueType().(tftypes.Object)
	var attrs map[string]tftypes.Value
	_ = nullObject(dsType).As(&attrs)
	maps.Copy(attrs, args)
	config, err := tfprotov6.NewDynamicValue(dsType, tftypes.NewValue(dsType, attrs))
	if err != nil {
		tb.Fatal(err)
	}
	return &config
}
