package provider

import (
	"time"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

// The attributes of one chat, which both data sources share: whatsapp_chats
// lists them, whatsapp_chat has them at its top level.

// timeFormat writes every time in one width, RFC 3339 in UTC with
// milliseconds, so that string order is time order. Neither API sends a
// finer time than the millisecond.
const timeFormat = "2006-01-02T15:04:05.000Z"

const (
	zapiOnly    = " Z-API only: null on EnviaAI."
	enviaAIOnly = " EnviaAI only: null on Z-API."
	rfc3339     = " RFC 3339 in UTC with milliseconds, always as `2006-01-02T15:04:05.000Z`: one width, so string order is time order. " +
		"A Unix time from the API is read as seconds up to `253402300799` (the end of the year 9999) " +
		"and as milliseconds from `1000000000000` (2001-09-09); a number between is an error."
)

var chatAttributes = newAttributeTable(
	stringAttribute("id", "The chat's identifier: EnviaAI's `chatId`, or the phone on Z-API.",
		func(c *client.Chat) *string { return &c.ID }),
	stringAttribute("phone", "The contact's phone number in international format, or the group's id.",
		func(c *client.Chat) *string { return c.Phone }),
	stringAttribute("name", "The chat's name: the contact's saved name, or the group name. Z-API returns a group's id as its name. Null when the API sends none.",
		func(c *client.Chat) *string { return c.Name }),
	boolAttribute("is_group", "Whether the chat is a group.",
		func(c *client.Chat) *bool { return c.IsGroup }),
	boolAttribute("is_group_announcement", "Whether the chat is a group's announcement channel."+zapiOnly,
		func(c *client.Chat) *bool { return c.IsGroupAnnouncement }),
	boolAttribute("archived", "Whether the chat is archived."+zapiOnly,
		func(c *client.Chat) *bool { return c.Archived }),
	boolAttribute("pinned", "Whether the chat is pinned."+zapiOnly,
		func(c *client.Chat) *bool { return c.Pinned }),
	boolAttribute("muted", "Whether the chat is muted."+zapiOnly,
		func(c *client.Chat) *bool { return c.Muted }),
	timeAttribute("mute_end_time", "When the mute ends."+rfc3339+" Null when the chat is not muted, is muted forever (see `muted_forever`), or the API sends no end."+zapiOnly,
		func(c *client.Chat) *time.Time { return c.MuteEndTime }),
	boolAttribute("muted_forever", "Whether the chat is muted until unmuted by hand (Z-API's mute end of `-1`). `false` when the chat is not muted; null when it is muted and the API sends no mute end."+zapiOnly,
		func(c *client.Chat) *bool { return c.MutedForever }),
	boolAttribute("marked_spam", "Whether the chat is marked as spam."+zapiOnly,
		func(c *client.Chat) *bool { return c.MarkedSpam }),
	int64Attribute("unread_count", "The number of unread messages.",
		func(c *client.Chat) *int64 { return c.UnreadCount }),
	timeAttribute("last_message_time", "When the last message was sent or received."+rfc3339+" On EnviaAI, the last message's timestamp.",
		func(c *client.Chat) *time.Time { return c.LastMessageTime }),
	stringAttribute("profile_pic_url", "The URL of the contact's profile picture."+enviaAIOnly,
		func(c *client.Chat) *string { return c.ProfilePicURL }),
	timeAttribute("created_at", "When the chat was created."+rfc3339+enviaAIOnly,
		func(c *client.Chat) *time.Time { return c.CreatedAt }),
	objectAttribute("last_message", "The most recent message. Null when the chat has none or the API does not send it."+enviaAIOnly,
		messageAttributes, func(c *client.Chat) *client.Message { return c.LastMessage }),
	objectAttribute("notes", "The chat's annotation (WhatsApp Business accounts). Null when the chat has none."+zapiOnly,
		notesAttributes, func(c *client.Chat) *client.Notes { return c.Notes }),
)

var messageAttributes = newAttributeTable(
	stringAttribute("id", "The message's identifier.",
		func(m *client.Message) *string { return m.ID }),
	stringAttribute("content", "The message text, or a description of its media such as `[Image]`.",
		func(m *client.Message) *string { return m.Content }),
	timeAttribute("timestamp", "When the message was sent."+rfc3339,
		func(m *client.Message) *time.Time { return m.Timestamp }),
	boolAttribute("from_me", "Whether the instance sent the message.",
		func(m *client.Message) *bool { return m.FromMe }),
	stringAttribute("type", "The message type, such as `text` or `image`.",
		func(m *client.Message) *string { return m.Type }),
)

var notesAttributes = newAttributeTable(
	stringAttribute("id", "The note's identifier.",
		func(n *client.Notes) *string { return n.ID }),
	stringAttribute("content", "The note's text.",
		func(n *client.Notes) *string { return n.Content }),
	timeAttribute("created_at", "When the note was written."+rfc3339,
		func(n *client.Notes) *time.Time { return n.CreatedAt }),
	timeAttribute("last_updated_at", "When the note was last changed."+rfc3339,
		func(n *client.Notes) *time.Time { return n.LastUpdatedAt }),
)
