package provider

import (
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

// timeDescription ends the description of every instance time attribute.
const timeDescription = rfc3339

// instanceAttributes is the table of an instance's attributes.
var instanceAttributes = newAttributeTable(
	stringAttribute("id", "The instance's identifier.", func(in *client.Instance) *string { return &in.ID }),
	stringAttribute("name", "The instance's name.", func(in *client.Instance) *string { return in.Name }),
	stringAttribute("status", "`connected`, `disconnected`, `connecting` or `qr_pending` (waiting for its QR code to be scanned). Z-API knows only `connected` and `disconnected`.",
		func(in *client.Instance) *string { return in.Status }),
	boolAttribute("connected", "Whether the instance is connected to WhatsApp.", func(in *client.Instance) *bool { return in.Connected }),
	stringAttribute("status_message", "Z-API's status sentence, such as `You need to restore the session.`"+zapiOnly, func(in *client.Instance) *string { return in.StatusMessage }),
	boolAttribute("phone_connected", "Whether the phone itself is online."+zapiOnly, func(in *client.Instance) *bool { return in.PhoneConnected }),
	stringAttribute("phone", "The connected number; null while disconnected."+enviaAIOnly, func(in *client.Instance) *string { return in.Phone }),
	stringAttribute("profile_name", "The WhatsApp profile name."+enviaAIOnly, func(in *client.Instance) *string { return in.ProfileName }),
	stringAttribute("profile_pic_url", "The URL of the WhatsApp profile picture."+enviaAIOnly, func(in *client.Instance) *string { return in.ProfilePicURL }),
	timeAttribute("created_at", "When the instance was created."+timeDescription, func(in *client.Instance) *time.Time { return in.CreatedAt }),
	timeAttribute("connected_at", "When the instance last connected."+enviaAIOnly+timeDescription, func(in *client.Instance) *time.Time { return in.ConnectedAt }),
	timeAttribute("last_seen_at", "When the instance was last seen online."+enviaAIOnly+timeDescription, func(in *client.Instance) *time.Time { return in.LastSeenAt }),
	timeAttribute("expires_at", "When the paid period ends (Z-API's `due`, read as seconds or milliseconds by its magnitude)."+zapiOnly+timeDescription,
		func(in *client.Instance) *time.Time { return in.ExpiresAt }),
	stringAttribute("payment_status", "Z-API's payment status, as it sends it."+zapiOnly, func(in *client.Instance) *string { return in.PaymentStatus }),
	stringMapAttribute("webhooks", "The webhook URL of each event that has one set; an empty map when none is. "+
		"Z-API: `received`, `delivery`, `message_status`, `connected`, `disconnected`, `presence_chat`, `initial_data` (its listing reports `delivery` only). EnviaAI: `all`, its one webhook URL. "+
		"Z-API's `update-webhook-received-delivery` sets one URL for received and sent messages that takes priority over the received webhook, and its reference names no `/me` field that reports it: "+
		"where it is set (in the panel or through that endpoint), `received` may show a URL that is not in use.",
		func(in *client.Instance) map[string]string { return in.Webhooks }),
	boolAttribute("auto_read_messages", "Whether received messages are marked read automatically.", func(in *client.Instance) *bool { return in.AutoReadMessages }),
	boolAttribute("auto_typing", "Whether the instance shows itself typing before it answers."+enviaAIOnly, func(in *client.Instance) *bool { return in.AutoTyping }),
	boolAttribute("reject_calls", "Whether incoming calls are rejected automatically."+zapiOnly, func(in *client.Instance) *bool { return in.RejectCalls }),
	stringAttribute("reject_call_message", "The message sent after a call is rejected."+zapiOnly, func(in *client.Instance) *string { return in.RejectCallMessage }),
	boolAttribute("webhook_sent_by_me", "Whether the received-message webhook also fires for messages the instance sends."+zapiOnly, func(in *client.Instance) *bool { return in.WebhookSentByMe }),
	int64Attribute("queued_messages", "How many messages the instance has accepted and not yet sent (Z-API's `GET .../queue/count`); "+
		"they pile up while the instance is disconnected. Only the count is read, never the queued messages."+zapiOnly+" EnviaAI documents no queue.",
		func(in *client.Instance) *int64 { return in.QueuedMessages }),
	objectAttribute("stats", "Today's message counts."+enviaAIOnly, newAttributeTable(
		int64Attribute("messages_sent_today", "Messages sent today.", func(s *client.InstanceStats) *int64 { return s.MessagesSentToday }),
		int64Attribute("messages_received_today", "Messages received today.", func(s *client.InstanceStats) *int64 { return s.MessagesReceivedToday }),
		int64Attribute("active_chats", "Active chats.", func(s *client.InstanceStats) *int64 { return s.ActiveChats }),
		int64Attribute("unread_messages", "Unread messages.", func(s *client.InstanceStats) *int64 { return s.UnreadMessages }),
	), func(in *client.Instance) *client.InstanceStats { return in.Stats }),
	objectAttribute("health", "The link's health."+enviaAIOnly, newAttributeTable(
		int64Attribute("uptime_seconds", "Seconds connected.", func(h *client.InstanceHealth) *int64 { return h.UptimeSeconds }),
		int64Attribute("latency_ms", "Latency in milliseconds.", func(h *client.InstanceHealth) *int64 { return h.LatencyMS }),
		float64Attribute("message_delivery_rate", "The share of messages delivered, from 0 to 1.", func(h *client.InstanceHealth) *float64 { return h.MessageDeliveryRate }),
	), func(in *client.Instance) *client.InstanceHealth { return in.Health }),
)

// instanceSchema is the schema of an instance's attributes.
func instanceSchema() map[string]schema.Attribute { return instanceAttributes.schemaAttributes() }

// instanceValues are an instance's attribute values.
func instanceValues(in *client.Instance) map[string]attr.Value { return instanceAttributes.values(in) }

func instanceObject(in *client.Instance) (types.Object, diag.Diagnostics) {
	return instanceAttributes.object(in)
}
