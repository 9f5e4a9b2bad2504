package provider

import (
	"testing"
	"time"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

// Each attribute writes its value twice, as the framework's attr.Value (small
// results) and as msgpack (the chat list): for every table, full and empty
// values, both must give the same Terraform value.
func TestAttributeTables_BothWritersAgree(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 2, 3, 12, 30, 0, 123e6, time.FixedZone("BRT", -3*3600))
	n := int64(7)
	full, empty := fullChat(), client.Chat{ID: "id"}
	fullIn, emptyIn := fullInstance(), client.Instance{ID: "id"}
	bothWritersAgree(t, "chat", chatAttributes, &full)
	bothWritersAgree(t, "empty chat", chatAttributes, &empty)
	bothWritersAgree(t, "whatsapp_chat", chatResults, &full)
	bothWritersAgree(t, "chat list", chatListAttributes, &client.ChatList{Chats: []client.Chat{full, empty}, Total: &n, HasMore: true})
	bothWritersAgree(t, "empty chat list", chatListAttributes, &client.ChatList{})
	bothWritersAgree(t, "summary", chatSummaryAttributes, &client.ChatSummary{Chats: 3, Groups: 1, UnreadChats: 2, UnreadMessages: 9,
		Archived: &n, Pinned: &n, Muted: &n, MarkedSpam: &n, OldestUnreadMessageTime: &at, LastMessageTime: &at})
	bothWritersAgree(t, "empty summary", chatSummaryAttributes, &client.ChatSummary{})
	bothWritersAgree(t, "instance", instanceAttributes, &fullIn)
	bothWritersAgree(t, "empty instance", instanceAttributes, &emptyIn)
	bothWritersAgree(t, "instance without webhooks", instanceAttributes, &client.Instance{ID: "id", Webhooks: map[string]string{}})
	bothWritersAgree(t, "instances", instancesResults, &client.InstanceList{Instances: []client.Instance{fullIn, emptyIn}, Total: &n})
	bothWritersAgree(t, "no instances", instancesResults, &client.InstanceList{})
	hook := client.Webhook{ID: "wh", InstanceID: new("in"), URL: new("https://h"), Name: new("n"), Events: []string{"b", "a", "b"}, Status: new("active"), CreatedAt: &at}
	bothWritersAgree(t, "webhooks", webhooksResults, []client.Webhook{hook, {ID: "empty"}, {ID: "no events", Events: []string{}}})
	bothWritersAgree(t, "no webhooks", webhooksResults, []client.Webhook{})
	bothWritersAgree(t, "deliveries", deliveryResults, &client.DeliverySummary{Deliveries: 3, Succeeded: 1, Failed: 2, FailureRate: new(2.0 / 3),
		LastSuccessAt: &at, LastFailureAt: &at, LastFailureStatusCode: &n, FailedEvents: []string{"message.sent"}, PendingRetries: 1})
	bothWritersAgree(t, "no deliveries", deliveryResults, &client.DeliverySummary{FailedEvents: []string{}})
}

func bothWritersAgree[T any](t *testing.T, name string, table attributeTable[T], v T) {
	t.Helper()
	obj, diags := table.object(v)
	if diags.HasError() {
		t.Fatalf("%s: %v", name, diags)
	}
	want, err := obj.ToTerraformValue(t.Context())
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	e := newStateEncoder(0)
	table.writeObject(e, v)
	encoded, err := e.bytes()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	got, err := decodeState(want.Type(), encoded)
	if err != nil {
		t.Fatalf("%s: the msgpack does not decode as the table's type: %v", name, err)
	}
	if !got.Equal(want) {
		t.Errorf("%s: msgpack writes\n%v\nattr.Value writes\n%v", name, got, want)
	}
}
