package provider

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

// benchChats are n chats with every field a Z-API or EnviaAI chat has.
func benchChats(n int) []client.Chat {
	chats := make([]client.Chat, n)
	at := time.Date(2026, 2, 3, 12, 30, 0, 0, time.UTC)
	for i := range chats {
		c := fullChat()
		c.ID = fmt.Sprintf("chat_%06d", i)
		c.Phone = ptr(fmt.Sprintf("55119%08d", i))
		c.Name = ptr(fmt.Sprintf("Contact %d", i))
		c.UnreadCount = ptr(int64(i % 17))
		c.LastMessageTime = ptr(at.Add(-time.Duration(i) * time.Minute))
		chats[i] = c
	}
	return chats
}

// BenchmarkChatsState1000 measures turning 1,000 decoded chats into the
// data source's state, the provider's share of a large read.
func BenchmarkChatsState1000(b *testing.B) {
	ctx := context.Background()
	var sresp datasource.SchemaResponse
	newChatsDataSource().Schema(ctx, datasource.SchemaRequest{}, &sresp)
	config := tfsdk.Config{Schema: sresp.Schema, Raw: nullObject(sresp.Schema.Type().TerraformType(ctx).(tftypes.Object))}
	list := &client.ChatList{Chats: benchChats(1000), HasMore: false}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		state := tfsdk.State{Schema: sresp.Schema}
		if diags := setChatsState(ctx, config, &state, list); diags.HasError() {
			b.Fatal(diags)
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
