package provider

import (
	"errors"
	"fmt"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

// Every attribute carries its own field: strings hold their attribute's
// name, times differ by the hour, and the boolean fields take every bit
// pattern over three chats, so two swapped fields cannot go unseen.
func TestChatFields_EachAttributeCarriesItsOwnField(t *testing.T) {
	base := time.Date(2026, 2, 3, 0, 0, 0, 0, time.UTC)
	hour := func(h int) *time.Time { v := base.Add(time.Duration(h) * time.Hour); return &v }
	stamp := func(h int) string { return hour(h).Format("2006-01-02T15:04:05.000Z") }
	bools := []string{"is_group", "is_group_announcement", "archived", "pinned", "muted", "muted_forever", "marked_spam", "last_message.from_me"}
	_, config := dataSourceSchema(t, newChatsDataSource(), nil)
	for k := range 3 {
		bit := func(name string) *bool { v := (slices.Index(bools, name)>>k)&1 == 1; return &v }
		chat := client.Chat{
			ID: "id", Phone: new("phone"), Name: new("name"),
			IsGroup: bit("is_group"), IsGroupAnnouncement: bit("is_group_announcement"), Archived: bit("archived"),
			Pinned: bit("pinned"), Muted: bit("muted"), MuteEndTime: hour(1), MutedForever: bit("muted_forever"),
			MarkedSpam: bit("marked_spam"), UnreadCount: new(int64(7)), LastMessageTime: hour(2),
			ProfilePicURL: new("profile_pic_url"), CreatedAt: hour(3),
			LastMessage: &client.Message{ID: new("last_message.id"), Content: new("last_message.content"), Timestamp: hour(4),
				FromMe: bit("last_message.from_me"), Type: new("last_message.type")},
			Notes: &client.Notes{ID: new("notes.id"), Content: new("notes.content"), CreatedAt: hour(5), LastUpdatedAt: hour(6)},
		}
		want := map[string]any{
			"id": "id", "phone": "phone", "name": "name", "unread_count": int64(7), "profile_pic_url": "profile_pic_url",
			"mute_end_time": stamp(1), "last_message_time": stamp(2), "created_at": stamp(3),
			"last_message.id": "last_message.id", "last_message.content": "last_message.content", "last_message.timestamp": stamp(4),
			"last_message.type": "last_message.type",
			"notes.id":          "notes.id", "notes.content": "notes.content", "notes.created_at": stamp(5), "notes.last_updated_at": stamp(6),
		}
		for _, name := range bools {
			want[name] = *bit(name)
		}
		encoded, err := encodeChatsState(config.Raw, &client.ChatList{Chats: []client.Chat{chat}})
		if err != nil {
			t.Fatal(err)
		}
		raw, err := decodeState(config.Raw.Type(), encoded)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]any{}
		var state map[string]tftypes.Value
		var chats []tftypes.Value
		_ = raw.As(&state)
		_ = state["chats"].As(&chats)
		flatten(t, "", chats[0], got)
		for name, w := range want {
			if fmt.Sprint(got[name]) != fmt.Sprint(w) {
				t.Errorf("pattern %d: %s = %v, want %v", k, name, got[name], w)
			}
		}
		if len(got) != len(want) {
			t.Errorf("pattern %d: %d values written, want %d", k, len(got), len(want))
		}
	}
}

// flatten collects an object's values by dotted attribute name.
func flatten(t *testing.T, prefix string, v tftypes.Value, into map[string]any) {
	t.Helper()
	if v.Type().Is(tftypes.Object{}) {
		var attrs map[string]tftypes.Value
		if err := v.As(&attrs); err != nil {
			t.Fatal(err)
		}
		for name, a := range attrs {
			flatten(t, prefix+name+".", a, into)
		}
		return
	}
	name := prefix[:len(prefix)-1]
	var err error
	switch {
	case v.Type().Is(tftypes.String):
		var s string
		err = v.As(&s)
		into[name] = s
	case v.Type().Is(tftypes.Bool):
		var b bool
		err = v.As(&b)
		into[name] = b
	case v.Type().Is(tftypes.Number):
		n := new(big.Float)
		err = v.As(&n)
		i, _ := n.Int64()
		into[name] = i
	}
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// A listing whose state would pass the limit fails, and the encoder stops
// writing at the first chat past it.
func TestEncodeChatsState_StopsAtTheLimit(t *testing.T) {
	_, config := dataSourceSchema(t, newChatsDataSource(), nil)
	chats := make([]client.Chat, 1000)
	for i := range chats {
		chats[i] = client.Chat{ID: fmt.Sprint(i), Name: new("a chat with a name of some length")}
	}
	list := &client.ChatList{Chats: chats}
	full, err := encodeChatsState(config.Raw, list)
	if err != nil {
		t.Fatal(err)
	}
	for _, limit := range []int{len(full) / 2, len(full) - 100} {
		state, err := encodeChatsStateWithin(config.Raw, list, limit)
		var tooLarge *stateTooLargeError
		if !errors.As(err, &tooLarge) || tooLarge.chats != 1000 {
			t.Fatalf("limit %d of %d bytes: got %v", limit, len(full), err)
		}
		if len(state) > limit+len(full)/len(chats)+64 {
			t.Errorf("limit %d: the encoder wrote %d bytes, past the chat that crossed it", limit, len(state))
		}
	}
	if _, err := encodeChatsStateWithin(config.Raw, list, len(full)); err != nil {
		t.Errorf("a state of exactly the limit was refused: %v", err)
	}
	// What the read counts per chat is what the state takes for it, so a
	// read stopped by it is one whose state would not have fit.
	size, sum := chatStateSize(), 0
	for i := range chats {
		sum += size(&chats[i])
	}
	if sum > len(full) || sum < len(full)-1024 {
		t.Errorf("the chats count %d bytes, the state takes %d", sum, len(full))
	}
}
