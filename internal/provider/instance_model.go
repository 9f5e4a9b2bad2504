package provider

import (
	"maps"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

// instanceAttribute is one attribute of an instance: its schema, its type
// and its value. The table below yields both the schema and the state, so
// the two cannot drift apart.
type instanceAttribute struct {
	name   string
	schema schema.Attribute
	typ    attr.Type
	value  func(*client.Instance) attr.Value
}

func strAttr(name, desc string, get func(*client.Instance) *string) instanceAttribute {
	return instanceAttribute{name, schema.StringAttribute{Computed: true, MarkdownDescription: desc}, types.StringType,
		func(in *client.Instance) attr.Value { return types.StringPointerValue(get(in)) }}
}

func boolAttr(name, desc string, get func(*client.Instance) *bool) instanceAttribute {
	return instanceAttribute{name, schema.BoolAttribute{Computed: true, MarkdownDescription: desc}, types.BoolType,
		func(in *client.Instance) attr.Value { return types.BoolPointerValue(get(in)) }}
}

func timeAttr(name, desc string, get func(*client.Instance) *time.Time) instanceAttribute {
	return instanceAttribute{name, schema.StringAttribute{Computed: true, MarkdownDescription: desc + timeDescription}, types.StringType,
		func(in *client.Instance) attr.Value { return types.StringPointerValue(formatTime(get(in))) }}
}

// formatTime writes a time as every time attribute does, or nil.
func formatTime(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.UTC().Format(timeFormat)
	return &s
}

// timeDescription ends the description of every instance time attribute.
const timeDescription = rfc3339

const (
	zapiOnly    = " Z-API only: null on EnviaAI."
	enviaAIOnly = " EnviaAI only: null on Z-API."
)

var (
	statsTypes = map[string]attr.Type{
		"messages_sent_today": types.Int64Type, "messages_received_today": types.Int64Type, "active_chats": types.Int64Type, "unread_messages": types.Int64Type,
	}
	healthTypes = map[string]attr.Type{
		"uptime_seconds": types.Int64Type, "latency_ms": types.Int64Type, "message_delivery_rate": types.Float64Type,
	}
)

// instanceAttributes is the table of an instance's attributes.
var instanceAttributes = []instanceAttribute{
	{"id", schema.StringAttribute{Computed: true, MarkdownDescription: "The instance's identifier."}, types.StringType,
		func(in *client.Instance) attr.Value { return types.StringValue(in.ID) }},
	strAttr("name", "The instance's name.", func(in *client.Instance) *string { return in.Name }),
	strAttr("status", "`connected`, `disconnected`, `connecting` or `qr_pending` (waiting for its QR code to be scanned). Z-API knows only `connected` and `disconnected`.",
		func(in *client.Instance) *string { return in.Status }),
	boolAttr("connected", "Whether the instance is connected to WhatsApp.", func(in *client.Instance) *bool { return in.Connected }),
	strAttr("status_message", "Z-API's status sentence, such as `You need to restore the session.`"+zapiOnly, func(in *client.Instance) *string { return in.StatusMessage }),
	boolAttr("phone_connected", "Whether the phone itself is online."+zapiOnly, func(in *client.Instance) *bool { return in.PhoneConnected }),
	strAttr("phone", "The connected number; null while disconnected."+enviaAIOnly, func(in *client.Instance) *string { return in.Phone }),
	strAttr("profile_name", "The WhatsApp profile name."+enviaAIOnly, func(in *client.Instance) *string { return in.ProfileName }),
	strAttr("profile_pic_url", "The URL of the WhatsApp profile picture."+enviaAIOnly, func(in *client.Instance) *string { return in.ProfilePicURL }),
	timeAttr("created_at", "When the instance was created.", func(in *client.Instance) *time.Time { return in.CreatedAt }),
	timeAttr("connected_at", "When the instance last connected."+enviaAIOnly, func(in *client.Instance) *time.Time { return in.ConnectedAt }),
	timeAttr("last_seen_at", "When the instance was last seen online."+enviaAIOnly, func(in *client.Instance) *time.Time { return in.LastSeenAt }),
	timeAttr("expires_at", "When the paid period ends (Z-API's `due`, read as seconds or milliseconds by its magnitude)."+zapiOnly, func(in *client.Instance) *time.Time { return in.ExpiresAt }),
	strAttr("payment_status", "Z-API's payment status, as it sends it."+zapiOnly, func(in *client.Instance) *string { return in.PaymentStatus }),
	{"webhooks", schema.MapAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "The webhook URL of each event that has one set; an empty map when none is. " +
		"Z-API: `received`, `delivery`, `message_status`, `connected`, `disconnected`, `presence_chat`, `initial_data` (its listing reports `delivery` only). EnviaAI: `all`, its one webhook URL. " +
		"Z-API's `update-webhook-received-delivery` sets one URL for received and sent messages that takes priority over the received webhook, and its reference names no `/me` field that reports it: " +
		"where it is set (in the panel or through that endpoint), `received` may show a URL that is not in use."},
		types.MapType{ElemType: types.StringType}, func(in *client.Instance) attr.Value {
			if in.Webhooks == nil {
				return types.MapNull(types.StringType)
			}
			elems := make(map[string]attr.Value, len(in.Webhooks))
			for k, v := range in.Webhooks {
				elems[k] = types.StringValue(v)
			}
			return types.MapValueMust(types.StringType, elems)
		}},
	boolAttr("auto_read_messages", "Whether received messages are marked read automatically.", func(in *client.Instance) *bool { return in.AutoReadMessages }),
	boolAttr("auto_typing", "Whether the instance shows itself typing before it answers."+enviaAIOnly, func(in *client.Instance) *bool { return in.AutoTyping }),
	boolAttr("reject_calls", "Whether incoming calls are rejected automatically."+zapiOnly, func(in *client.Instance) *bool { return in.RejectCalls }),
	strAttr("reject_call_message", "The message sent after a call is rejected."+zapiOnly, func(in *client.Instance) *string { return in.RejectCallMessage }),
	boolAttr("webhook_sent_by_me", "Whether the received-message webhook also fires for messages the instance sends."+zapiOnly, func(in *client.Instance) *bool { return in.WebhookSentByMe }),
	{"queued_messages", schema.Int64Attribute{Computed: true, MarkdownDescription: "How many messages the instance has accepted and not yet sent (Z-API's `GET .../queue/count`); " +
		"they pile up while the instance is disconnected. Only the count is read, never the queued messages." + zapiOnly + " EnviaAI documents no queue."},
		types.Int64Type, func(in *client.Instance) attr.Value { return types.Int64PointerValue(in.QueuedMessages) }},
	{"stats", schema.SingleNestedAttribute{Computed: true, MarkdownDescription: "Today's message counts." + enviaAIOnly, Attributes: map[string]schema.Attribute{
		"messages_sent_today":     schema.Int64Attribute{Computed: true, MarkdownDescription: "Messages sent today."},
		"messages_received_today": schema.Int64Attribute{Computed: true, MarkdownDescription: "Messages received today."},
		"active_chats":            schema.Int64Attribute{Computed: true, MarkdownDescription: "Active chats."},
		"unread_messages":         schema.Int64Attribute{Computed: true, MarkdownDescription: "Unread messages."},
	}}, types.ObjectType{AttrTypes: statsTypes}, func(in *client.Instance) attr.Value {
		if in.Stats == nil {
			return types.ObjectNull(statsTypes)
		}
		s := in.Stats
		return types.ObjectValueMust(statsTypes, map[string]attr.Value{
			"messages_sent_today": types.Int64PointerValue(s.MessagesSentToday), "messages_received_today": types.Int64PointerValue(s.MessagesReceivedToday),
			"active_chats": types.Int64PointerValue(s.ActiveChats), "unread_messages": types.Int64PointerValue(s.UnreadMessages),
		})
	}},
	{"health", schema.SingleNestedAttribute{Computed: true, MarkdownDescription: "The link's health." + enviaAIOnly, Attributes: map[string]schema.Attribute{
		"uptime_seconds":        schema.Int64Attribute{Computed: true, MarkdownDescription: "Seconds connected."},
		"latency_ms":            schema.Int64Attribute{Computed: true, MarkdownDescription: "Latency in milliseconds."},
		"message_delivery_rate": schema.Float64Attribute{Computed: true, MarkdownDescription: "The share of messages delivered, from 0 to 1."},
	}}, types.ObjectType{AttrTypes: healthTypes}, func(in *client.Instance) attr.Value {
		if in.Health == nil {
			return types.ObjectNull(healthTypes)
		}
		h := in.Health
		return types.ObjectValueMust(healthTypes, map[string]attr.Value{
			"uptime_seconds": types.Int64PointerValue(h.UptimeSeconds), "latency_ms": types.Int64PointerValue(h.LatencyMS),
			"message_delivery_rate": types.Float64PointerValue(h.MessageDeliveryRate),
		})
	}},
}

// instanceSchema is the schema of an instance's attributes.
func instanceSchema() map[string]schema.Attribute {
	out := make(map[string]schema.Attribute, len(instanceAttributes))
	for _, a := range instanceAttributes {
		out[a.name] = a.schema
	}
	return out
}

func instanceTypes() map[string]attr.Type {
	out := make(map[string]attr.Type, len(instanceAttributes))
	for _, a := range instanceAttributes {
		out[a.name] = a.typ
	}
	return out
}

// instanceValues are an instance's attribute values.
func instanceValues(in *client.Instance) map[string]attr.Value {
	out := make(map[string]attr.Value, len(instanceAttributes))
	for _, a := range instanceAttributes {
		out[a.name] = a.value(in)
	}
	return out
}

func instanceObject(in *client.Instance) (types.Object, diag.Diagnostics) {
	return types.ObjectValue(instanceTypes(), instanceValues(in))
}

// withArguments adds a data source's arguments to an instance's schema.
func withArguments(attrs map[string]schema.Attribute, args map[string]schema.Attribute) map[string]schema.Attribute {
	maps.Copy(attrs, args)
	return attrs
}
