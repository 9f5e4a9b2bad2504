package provider

import (
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
)

// The chat attributes both data sources share: the schema here, the values
// in state.go's field tables. Unit tests check that both name the same
// attributes and that the values decode as the schema's type.

const timeFormat = time.RFC3339Nano

const (
	onlyZAPI    = " Z-API only: null on EnviaAI."
	onlyEnviaAI = " EnviaAI only: null on Z-API."
	rfc3339     = " An RFC 3339 timestamp in UTC. A Unix time from the API is read as seconds up to `253402300799` (the end of the year 9999) " +
		"and as milliseconds from `1000000000000` (2001-09-09); a number between is an error."
)

// chatAttributes is the schema of one chat, every attribute computed.
func chatAttributes() map[string]schema.Attribute {
	str := func(d string) schema.Attribute { return schema.StringAttribute{Computed: true, MarkdownDescription: d} }
	boolean := func(d string) schema.Attribute { return schema.BoolAttribute{Computed: true, MarkdownDescription: d} }
	return map[string]schema.Attribute{
		"id":                    str("The chat's identifier: EnviaAI's `chatId`, or the phone on Z-API."),
		"phone":                 str("The contact's phone number in international format, or the group's id."),
		"name":                  str("The chat's name: the contact's saved name, or the group name. Z-API returns a group's id as its name. Null when the API sends none."),
		"is_group":              boolean("Whether the chat is a group."),
		"is_group_announcement": boolean("Whether the chat is a group's announcement channel." + onlyZAPI),
		"archived":              boolean("Whether the chat is archived." + onlyZAPI),
		"pinned":                boolean("Whether the chat is pinned." + onlyZAPI),
		"muted":                 boolean("Whether the chat is muted." + onlyZAPI),
		"mute_end_time":         str("When the mute ends." + rfc3339 + " Null when the chat is not muted, is muted forever (see `muted_forever`), or the API sends no end." + onlyZAPI),
		"muted_forever":         boolean("Whether the chat is muted until unmuted by hand (Z-API's mute end of `-1`). Null when the API sends no mute end." + onlyZAPI),
		"marked_spam":           boolean("Whether the chat is marked as spam." + onlyZAPI),
		"unread_count":          schema.Int64Attribute{Computed: true, MarkdownDescription: "The number of unread messages."},
		"last_message_time":     str("When the last message was sent or received." + rfc3339 + " On EnviaAI, the last message's timestamp."),
		"profile_pic_url":       str("The URL of the contact's profile picture." + onlyEnviaAI),
		"created_at":            str("When the chat was created." + rfc3339 + onlyEnviaAI),
		"last_message": schema.SingleNestedAttribute{
			Computed:            true,
			MarkdownDescription: "The most recent message. Null when the chat has none or the API does not send it." + onlyEnviaAI,
			Attributes: map[string]schema.Attribute{
				"id":        str("The message's identifier."),
				"content":   str("The message text, or a description of its media such as `[Image]`."),
				"timestamp": str("When the message was sent." + rfc3339),
				"from_me":   boolean("Whether the instance sent the message."),
				"type":      str("The message type, such as `text` or `image`."),
			},
		},
		"notes": schema.SingleNestedAttribute{
			Computed:            true,
			MarkdownDescription: "The chat's annotation (WhatsApp Business accounts). Null when the chat has none." + onlyZAPI,
			Attributes: map[string]schema.Attribute{
				"id":              str("The note's identifier."),
				"content":         str("The note's text."),
				"created_at":      str("When the note was written." + rfc3339),
				"last_updated_at": str("When the note was last changed." + rfc3339),
			},
		},
	}
}
