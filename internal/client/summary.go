package client

import (
	"context"
	"time"
)

// SummaryOptions choose the chats a summary counts. They mean what the
// ListOptions of the same names mean, and are served the same way: by the
// API when it can, else by the client over every page.
type SummaryOptions struct {
	Search     string
	UnreadOnly bool
	InstanceID string
}

// ChatSummary is what a set of chats adds up to. A chat that does not
// report a field is not counted for it. The flag counts (archived, pinned,
// muted, spam) are nil when the API does not report those flags (EnviaAI).
type ChatSummary struct {
	Chats          int64
	Groups         int64 // chats that report is_group true
	UnreadChats    int64 // chats with an unread count above zero
	UnreadMessages int64 // the sum of the unread counts
	Archived       *int64
	Pinned         *int64
	Muted          *int64
	MarkedSpam     *int64
	// OldestUnreadMessageTime is the earliest last message time among the
	// chats with unread messages: how long the longest-waiting chat has
	// waited. Nil when no such chat reports a last message time.
	OldestUnreadMessageTime *time.Time
	// LastMessageTime is the latest last message time; nil when no chat
	// reports one.
	LastMessageTime *time.Time
}

// SummarizeChats reads every chat opts selects, with the same paging,
// retries, pacing and paging checks as ListChats, and adds them up page by
// page: it holds no more chats than the pages in flight.
func (c *Client) SummarizeChats(ctx context.Context, opts SummaryOptions) (*ChatSummary, error) {
	list := ListOptions{Search: opts.Search, UnreadOnly: opts.UnreadOnly, InstanceID: opts.InstanceID}
	local, err := c.localWork(list)
	if err != nil {
		return nil, err
	}
	sum := newChatSummary(c.api.serves().flags)
	if _, err := c.readAll(ctx, list, local, sum); err != nil {
		return nil, err
	}
	return sum, nil
}

// newChatSummary is an empty summary; flags says whether the API reports
// the archived, pinned, muted and spam flags, so that their counts are
// known (from zero) rather than nil.
func newChatSummary(flags bool) *ChatSummary {
	s := &ChatSummary{}
	if flags {
		s.Archived, s.Pinned, s.Muted, s.MarkedSpam = new(int64), new(int64), new(int64), new(int64)
	}
	return s
}

// enough is false: every chat counts.
func (s *ChatSummary) enough() bool { return false }

// keep adds one chat to the summary.
func (s *ChatSummary) keep(ch *Chat) error {
	s.Chats++
	if isTrue(ch.IsGroup) {
		s.Groups++
	}
	if n := ch.UnreadCount; n != nil && *n > 0 {
		s.UnreadChats++
		s.UnreadMessages += *n
		if t := ch.LastMessageTime; t != nil && (s.OldestUnreadMessageTime == nil || t.Before(*s.OldestUnreadMessageTime)) {
			s.OldestUnreadMessageTime = copyTime(*t)
		}
	}
	if t := ch.LastMessageTime; t != nil && (s.LastMessageTime == nil || t.After(*s.LastMessageTime)) {
		s.LastMessageTime = copyTime(*t)
	}
	countFlag(s.Archived, ch.Archived)
	countFlag(s.Pinned, ch.Pinned)
	countFlag(s.Muted, ch.Muted)
	countFlag(s.MarkedSpam, ch.MarkedSpam)
	return nil
}

// countFlag counts a chat whose flag is true, unless the count is unknown.
func countFlag(count *int64, flag *bool) {
	if count != nil && isTrue(flag) {
		*count++
	}
}

func isTrue(b *bool) bool { return b != nil && *b }

// copyTime keeps a time apart from the page it came from, which the
// summary must not hold on to.
func copyTime(t time.Time) *time.Time { return &t }
