package provider

import (
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

// fullInstance sets every field, so a value the attribute table misses or
// types unlike the schema fails below.
func fullInstance() client.Instance {
	s, b, n, f, at := new("x"), new(true), new(int64(3)), new(0.5), new(time.Date(2026, 2, 3, 12, 30, 0, 0, time.UTC))
	return client.Instance{
		ID: "id", Status: s, Name: s, Connected: b, StatusMessage: s, PhoneConnected: b, Phone: s, ProfileName: s, ProfilePicURL: s,
		CreatedAt: at, ConnectedAt: at, LastSeenAt: at, ExpiresAt: at, PaymentStatus: s, Webhooks: map[string]string{"all": "https://h"},
		AutoReadMessages: b, AutoTyping: b, RejectCalls: b, RejectCallMessage: s, WebhookSentByMe: b, QueuedMessages: n,
		Stats:  &client.InstanceStats{MessagesSentToday: n, MessagesReceivedToday: n, ActiveChats: n, UnreadMessages: n},
		Health: &client.InstanceHealth{UptimeSeconds: n, LatencyMS: n, MessageDeliveryRate: f},
	}
}

func TestInstanceModel_FullAndEmptyInstancesFitTheSchema(t *testing.T) {
	ctx := t.Context()
	for name, in := range map[string]client.Instance{"full": fullInstance(), "empty": {ID: "id"}} {
		t.Run(name, func(t *testing.T) {
			obj, diags := instanceObject(&in)
			if diags.HasError() {
				t.Fatal(diags)
			}
			for attrName, v := range obj.Attributes() {
				if name == "full" && v.IsNull() {
					t.Errorf("%s is null for a fully populated instance", attrName)
				}
				if name == "empty" && attrName != "id" && !v.IsNull() {
					t.Errorf("%s = %s for an instance the API sent nothing of, want null", attrName, v)
				}
			}
			// Both data sources' states take the value.
			resp, config := dataSourceSchema(t, newInstancesDataSource(), map[string]tftypes.Value{})
			state := tfsdk.State{Schema: resp.Schema, Raw: config.Raw}
			total := int64(1)
			if diags := setResults(ctx, &state, instancesResults, &client.InstanceList{Instances: []client.Instance{in}, Total: &total}); diags.HasError() {
				t.Fatalf("setting whatsapp_instances state: %v", diags)
			}
			var listed types.List
			if diags := state.GetAttribute(ctx, path.Root("instances"), &listed); diags.HasError() || len(listed.Elements()) != 1 || !listed.Elements()[0].Equal(obj) {
				t.Fatalf("whatsapp_instances state holds %v (%v), want [%v]", listed, diags, obj)
			}
			var single datasource.SchemaResponse
			newInstanceDataSource().Schema(ctx, datasource.SchemaRequest{}, &single)
			for attrName := range instanceValues(&in) {
				if _, ok := single.Schema.Attributes[attrName]; !ok {
					t.Errorf("whatsapp_instance has no attribute %s", attrName)
				}
			}
		})
	}
}
