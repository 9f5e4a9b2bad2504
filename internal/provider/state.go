package provider

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

// State is written straight to msgpack, Terraform's wire format for values,
// from the decoded chats. Going through the framework's attr.Value and
// tftypes.Value costs thousands of allocations per chat, which a list of
// 100,000 chats turns into the dominant cost of a plan. The field tables
// below are the one mapping from a chat to its attributes; a test decodes
// what they write against the schema's type.

// stateEncoder writes msgpack into one growing buffer.
type stateEncoder struct {
	buf bytes.Buffer
	enc *msgpack.Encoder
	err error
}

func newStateEncoder(sizeHint int) *stateEncoder {
	e := &stateEncoder{}
	e.buf.Grow(sizeHint)
	e.enc = msgpack.NewEncoder(&e.buf)
	return e
}

// check keeps the first error; writes after it are skipped by bytes().
func (e *stateEncoder) check(err error) {
	if e.err == nil {
		e.err = err
	}
}

func (e *stateEncoder) bytes() ([]byte, error) { return e.buf.Bytes(), e.err }

func (e *stateEncoder) null() { e.check(e.enc.EncodeNil()) }

func (e *stateEncoder) str(s string) { e.check(e.enc.EncodeString(s)) }

func (e *stateEncoder) optStr(s *string) {
	if s == nil {
		e.null()
		return
	}
	e.str(*s)
}

func (e *stateEncoder) optBool(b *bool) {
	if b == nil {
		e.null()
		return
	}
	e.check(e.enc.EncodeBool(*b))
}

func (e *stateEncoder) optInt(n *int64) {
	if n == nil {
		e.null()
		return
	}
	e.check(e.enc.EncodeInt(*n))
}

// optTime writes an RFC 3339 timestamp in UTC.
func (e *stateEncoder) optTime(t *time.Time) {
	if t == nil {
		e.null()
		return
	}
	e.str(t.UTC().Format(timeFormat))
}

// raw copies a value Terraform sent (an argument) into the state as is.
func (e *stateEncoder) raw(typ tftypes.Type, v tftypes.Value) {
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		e.check(err)
		return
	}
	e.buf.Write(dv.MsgPack)
}

// field is one attribute of an object and how to write its value.
type field[T any] struct {
	name  string
	write func(*stateEncoder, T)
}

// object writes v as an object of fields, which must be sorted by name as
// Terraform's msgpack objects are.
func object[T any](e *stateEncoder, fields []field[T], v T) {
	e.check(e.enc.EncodeMapLen(len(fields)))
	for _, f := range fields {
		e.str(f.name)
		f.write(e, v)
	}
}

func sortedFields[T any](fields []field[T]) []field[T] {
	slices.SortFunc(fields, func(a, b field[T]) int { return strings.Compare(a.name, b.name) })
	return fields
}

// chatFields map a chat to its attributes; the schema is in chat_model.go.
var chatFields = sortedFields([]field[*client.Chat]{
	{"id", func(e *stateEncoder, c *client.Chat) { e.str(c.ID) }},
	{"phone", func(e *stateEncoder, c *client.Chat) { e.optStr(c.Phone) }},
	{"name", func(e *stateEncoder, c *client.Chat) { e.optStr(c.Name) }},
	{"is_group", func(e *stateEncoder, c *client.Chat) { e.optBool(c.IsGroup) }},
	{"is_group_announcement", func(e *stateEncoder, c *client.Chat) { e.optBool(c.IsGroupAnnouncement) }},
	{"archived", func(e *stateEncoder, c *client.Chat) { e.optBool(c.Archived) }},
	{"pinned", func(e *stateEncoder, c *client.Chat) { e.optBool(c.Pinned) }},
	{"muted", func(e *stateEncoder, c *client.Chat) { e.optBool(c.Muted) }},
	{"mute_end_time", func(e *stateEncoder, c *client.Chat) { e.optTime(c.MuteEndTime) }},
	{"muted_forever", func(e *stateEncoder, c *client.Chat) { e.optBool(c.MutedForever) }},
	{"marked_spam", func(e *stateEncoder, c *client.Chat) { e.optBool(c.MarkedSpam) }},
	{"unread_count", func(e *stateEncoder, c *client.Chat) { e.optInt(c.UnreadCount) }},
	{"last_message_time", func(e *stateEncoder, c *client.Chat) { e.optTime(c.LastMessageTime) }},
	{"profile_pic_url", func(e *stateEncoder, c *client.Chat) { e.optStr(c.ProfilePicURL) }},
	{"created_at", func(e *stateEncoder, c *client.Chat) { e.optTime(c.CreatedAt) }},
	{"last_message", func(e *stateEncoder, c *client.Chat) {
		if c.LastMessage == nil {
			e.null()
			return
		}
		object(e, messageFields, c.LastMessage)
	}},
	{"notes", func(e *stateEncoder, c *client.Chat) {
		if c.Notes == nil {
			e.null()
			return
		}
		object(e, notesFields, c.Notes)
	}},
})

var messageFields = sortedFields([]field[*client.Message]{
	{"id", func(e *stateEncoder, m *client.Message) { e.optStr(m.ID) }},
	{"content", func(e *stateEncoder, m *client.Message) { e.optStr(m.Content) }},
	{"timestamp", func(e *stateEncoder, m *client.Message) { e.optTime(m.Timestamp) }},
	{"from_me", func(e *stateEncoder, m *client.Message) { e.optBool(m.FromMe) }},
	{"type", func(e *stateEncoder, m *client.Message) { e.optStr(m.Type) }},
})

var notesFields = sortedFields([]field[*client.Notes]{
	{"id", func(e *stateEncoder, n *client.Notes) { e.optStr(n.ID) }},
	{"content", func(e *stateEncoder, n *client.Notes) { e.optStr(n.Content) }},
	{"created_at", func(e *stateEncoder, n *client.Notes) { e.optTime(n.CreatedAt) }},
	{"last_updated_at", func(e *stateEncoder, n *client.Notes) { e.optTime(n.LastUpdatedAt) }},
})

// encodeState writes a data source's state: each attribute in computed is
// written by its function, every other attribute is copied from config.
func encodeState(config tftypes.Value, sizeHint int, computed map[string]func(*stateEncoder)) ([]byte, error) {
	typ, ok := config.Type().(tftypes.Object)
	if !ok {
		return nil, fmt.Errorf("configuration is a %s, not an object", config.Type())
	}
	var args map[string]tftypes.Value
	if err := config.As(&args); err != nil {
		return nil, err
	}
	names := slices.Sorted(maps.Keys(typ.AttributeTypes))
	e := newStateEncoder(sizeHint)
	e.check(e.enc.EncodeMapLen(len(names)))
	for _, name := range names {
		e.str(name)
		if write, ok := computed[name]; ok {
			write(e)
			continue
		}
		e.raw(typ.AttributeTypes[name], args[name])
	}
	return e.bytes()
}

// maxStateBytes is the largest state a read returns. Terraform refuses a
// message from a provider over 256 MiB with a gRPC error; the rest of the
// answer (diagnostics) needs far less than the margin.
const maxStateBytes = 255 << 20

// stateTooLargeError is a listing whose state would not fit maxStateBytes.
type stateTooLargeError struct{ chats, limit int }

func (e *stateTooLargeError) Error() string {
	size := fmt.Sprintf("%d bytes", e.limit)
	if e.limit%(1<<20) == 0 {
		size = fmt.Sprintf("%d MiB", e.limit>>20)
	}
	return fmt.Sprintf("the %d chats read make a state larger than %s", e.chats, size)
}

// chatStateSize tells how many bytes a chat takes in the state. It reuses
// one buffer, so each read needs its own.
func chatStateSize() func(*client.Chat) int {
	e := newStateEncoder(1024)
	return func(c *client.Chat) int {
		e.buf.Reset()
		object(e, chatFields, c)
		return e.buf.Len()
	}
}

// encodeChatsState is the state of whatsapp_chats after a listing.
func encodeChatsState(config tftypes.Value, list *client.ChatList) ([]byte, error) {
	return encodeChatsStateWithin(config, list, maxStateBytes)
}

// encodeChatsStateWithin stops at the first chat that takes the state over
// limit bytes, so the buffer never grows much past it.
func encodeChatsStateWithin(config tftypes.Value, list *client.ChatList, limit int) ([]byte, error) {
	state, err := encodeState(config, min(512*len(list.Chats)+256, limit), map[string]func(*stateEncoder){
		"chats": func(e *stateEncoder) {
			e.check(e.enc.EncodeArrayLen(len(list.Chats)))
			for i := range list.Chats {
				object(e, chatFields, &list.Chats[i])
				if e.buf.Len() > limit {
					e.check(&stateTooLargeError{chats: len(list.Chats), limit: limit})
					return
				}
			}
		},
		"total":    func(e *stateEncoder) { e.optInt(list.Total) },
		"has_more": func(e *stateEncoder) { e.optBool(&list.HasMore) },
	})
	if err == nil && len(state) > limit {
		err = &stateTooLargeError{chats: len(list.Chats), limit: limit}
	}
	return state, err
}

// encodeChatState is the state of whatsapp_chat: the chat's attributes
// flat, with the phone argument kept as written (Terraform requires
// configured values to be kept).
func encodeChatState(config tftypes.Value, chat *client.Chat) ([]byte, error) {
	computed := map[string]func(*stateEncoder){}
	for _, f := range chatFields {
		if f.name != "phone" {
			computed[f.name] = func(e *stateEncoder) { f.write(e, chat) }
		}
	}
	return encodeState(config, 1024, computed)
}

// decodeState turns encoded state back into a value, for the framework's
// own Read path and for tests.
func decodeState(typ tftypes.Type, state []byte) (tftypes.Value, error) {
	return (&tfprotov6.DynamicValue{MsgPack: state}).Unmarshal(typ)
}
