package client

import (
	"bytes"
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// localWork is what the client does because the API cannot: filters and a
// sort applied over every page read.
type localWork struct {
	search     string // lower case; "" keeps all
	unreadOnly bool
	sort       bool
	by         SortField
	order      SortOrder
}

func newLocalWork(opts ListOptions, caps capabilities) localWork {
	var w localWork
	if opts.Search != "" && !caps.search {
		w.search = strings.ToLower(opts.Search)
	}
	w.unreadOnly = opts.UnreadOnly && !caps.unreadOnly
	if opts.sorted() && !caps.sort {
		w.sort = true
		w.by, w.order = opts.sort()
	}
	return w
}

func (w localWork) none() bool { return w.search == "" && !w.unreadOnly && !w.sort }

func (w localWork) keep(ch *Chat) bool {
	if w.unreadOnly && (ch.UnreadCount == nil || *ch.UnreadCount <= 0) {
		return false
	}
	if w.search != "" && !containsFold(ch.Name, w.search) && !containsFold(ch.Phone, w.search) {
		return false
	}
	return true
}

func containsFold(s *string, lower string) bool {
	return s != nil && strings.Contains(strings.ToLower(*s), lower)
}

// sortChats orders chats stably: ties keep the API's order, names compare
// alphabetically without case (Unicode collation, so "Álvaro" sorts beside
// "Alpha", not after "zulu"), and chats lacking the field go last in either
// order.
func sortChats(chats []Chat, by SortField, order SortOrder) {
	keys := make([]sortKey, len(chats))
	var names nameKeys
	for i := range chats {
		keys[i] = newSortKey(&chats[i], by, i, &names)
	}
	slices.SortStableFunc(keys, func(a, b sortKey) int {
		if a.missing != b.missing {
			if a.missing {
				return 1
			}
			return -1
		}
		c := cmp.Compare(a.num, b.num)
		if c == 0 {
			c = bytes.Compare(a.text, b.text)
		}
		if order == Descending {
			c = -c
		}
		return c
	})
	sorted := make([]Chat, len(chats))
	for i, k := range keys {
		sorted[i] = chats[k.index]
	}
	copy(chats, sorted)
}

type sortKey struct {
	missing bool
	num     int64
	text    []byte
	index   int
}

// nameKeys makes collation keys that ignore case; one buffer holds them all.
type nameKeys struct {
	coll *collate.Collator
	buf  collate.Buffer
}

func (n *nameKeys) key(name string) []byte {
	if n.coll == nil {
		n.coll = collate.New(language.Und, collate.IgnoreCase)
	}
	return n.coll.KeyFromString(&n.buf, name)
}

func newSortKey(ch *Chat, by SortField, index int, names *nameKeys) sortKey {
	k := sortKey{index: index}
	switch by {
	case SortByLastMessageTime:
		k.missing = ch.LastMessageTime == nil
		if !k.missing {
			k.num = timeKey(*ch.LastMessageTime)
		}
	case SortByUnreadCount:
		k.missing = ch.UnreadCount == nil
		if !k.missing {
			k.num = *ch.UnreadCount
		}
	case SortByName:
		k.missing = ch.Name == nil
		if !k.missing {
			k.text = names.key(*ch.Name)
		}
	}
	return k
}

// timeKey is a time in microseconds: UnixNano overflows outside the years
// 1678-2262, and the API's timestamps reach the year 5138.
func timeKey(t time.Time) int64 { return t.UnixMicro() }

// FindChat returns the chat with the given phone number, read through the
// listing endpoint narrowed by search. Formatting in phone (a leading +,
// spaces, dashes, parentheses) is ignored. Where a chat's id is its phone
// (Z-API), no later page can hold a second chat with it, so the read stops
// at the page that holds the chat; elsewhere it reads every page, so that a
// phone two chats share is an error rather than either chat.
func (c *Client) FindChat(ctx context.Context, phone, instanceID string) (*Chat, error) {
	opts := ListOptions{Search: NormalizePhone(phone), InstanceID: instanceID}
	local, err := c.localWork(opts)
	if err != nil {
		return nil, err
	}
	found := &phoneMatches{want: opts.Search, unique: c.api.serves().phoneKeys}
	if _, err := c.readAll(ctx, opts, local, found); err != nil {
		return nil, err
	}
	switch len(found.chats) {
	case 0:
		return nil, &ChatNotFoundError{Backend: c.Backend(), Phone: phone}
	case 1:
		return &found.chats[0], nil
	}
	ids := make([]string, len(found.chats))
	for i, ch := range found.chats {
		ids[i] = ch.ID
	}
	return nil, &AmbiguousPhoneError{Backend: c.Backend(), Phone: phone, IDs: ids}
}

// phoneMatches keeps the chats whose phone is want, once formatting is
// ignored; with unique, the first is enough.
type phoneMatches struct {
	want   string
	unique bool
	chats  []Chat
}

func (m *phoneMatches) keep(ch *Chat) error {
	if p := ch.Phone; p != nil && NormalizePhone(*p) == m.want {
		m.chats = append(m.chats, *ch)
	}
	return nil
}

func (m *phoneMatches) enough() bool { return m.unique && len(m.chats) > 0 }

// NormalizePhone drops the formatting people add to phone numbers. Values
// that are not phone numbers (group ids like 1203...-group) stay as they are.
func NormalizePhone(phone string) string {
	phone = strings.TrimSpace(phone)
	digits := strings.Map(func(r rune) rune {
		switch {
		case r >= '0' && r <= '9':
			return r
		case strings.ContainsRune(" +-().", r):
			return -1
		}
		return 'x'
	}, phone)
	if digits == "" || strings.ContainsRune(digits, 'x') {
		return phone
	}
	return digits
}
