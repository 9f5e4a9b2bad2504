package client

import (
	"fmt"
	"slices"
	"time"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client/transport"
)

// Chat is one WhatsApp chat as both APIs describe it. A nil pointer means
// the API did not send the field: it is never replaced by a made-up zero.
type Chat struct {
	ID                  string
	Phone               *string
	Name                *string
	IsGroup             *bool
	IsGroupAnnouncement *bool
	Archived            *bool
	Pinned              *bool
	Muted               *bool
	// MuteEndTime is when the mute ends; nil with MutedForever true means the
	// API sent -1 (muted until unmuted by hand).
	MuteEndTime     *time.Time
	MutedForever    *bool
	MarkedSpam      *bool
	UnreadCount     *int64
	LastMessageTime *time.Time
	ProfilePicURL   *string
	CreatedAt       *time.Time
	LastMessage     *Message
	Notes           *Notes
}

// Message is the most recent message of a chat (EnviaAI only).
type Message struct {
	ID        *string
	Content   *string
	Timestamp *time.Time
	FromMe    *bool
	Type      *string
}

// Notes are a chat's annotations (Z-API, WhatsApp Business only).
type Notes struct {
	ID            *string
	Content       *string
	CreatedAt     *time.Time
	LastUpdatedAt *time.Time
}

// SortField names a chat attribute the list can be ordered by.
type SortField string

// The sort fields, by their provider-facing names.
const (
	SortByLastMessageTime SortField = "last_message_time"
	SortByUnreadCount     SortField = "unread_count"
	SortByName            SortField = "name"
)

// SortFields lists every SortField, in the order documentation shows them.
var SortFields = []SortField{SortByLastMessageTime, SortByUnreadCount, SortByName}

// SortOrder is ascending or descending.
type SortOrder string

// The sort orders.
const (
	Ascending  SortOrder = "asc"
	Descending SortOrder = "desc"
)

// SortOrders lists every SortOrder.
var SortOrders = []SortOrder{Ascending, Descending}

// MaxPageSize is the largest page either API serves (EnviaAI's limit cap).
const MaxPageSize = 100

// DefaultPageSize is the page length used when none is asked for.
const DefaultPageSize = MaxPageSize

// ListOptions are the backend-neutral arguments of a chat listing. The zero
// value lists every chat in the API's order.
type ListOptions struct {
	// Page, when positive, returns only that 1-based page of PageSize chats.
	Page int
	// PageSize is the page length; zero means DefaultPageSize.
	PageSize int
	// MaxResults, when positive and Page is zero, stops after that many chats.
	MaxResults int
	// Search keeps chats whose name or phone contains it, ignoring case.
	Search string
	// UnreadOnly keeps chats with at least one unread message.
	UnreadOnly bool
	// SortBy orders the chats; empty with SortOrder set means last message time.
	SortBy SortField
	// SortOrder defaults to descending when SortBy is set.
	SortOrder SortOrder
	// InstanceID reads another instance of the same account (EnviaAI only).
	InstanceID string
	// MaxBytes, when positive, ends a read of every page (Page and
	// MaxResults unset, so every chat kept is returned) with a
	// *TooLargeError as soon as the chats it keeps take more than that many
	// bytes by SizeOf (required with it), so a caller that cannot hold more
	// learns it before the read goes on.
	MaxBytes int64
	SizeOf   func(*Chat) int
}

// TooLargeError is a read stopped by ListOptions.MaxBytes.
type TooLargeError struct {
	Backend string
	// Chats is how many chats had been kept when the read stopped.
	Chats    int
	MaxBytes int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("the %d chats read from %s so far take more than %s", e.Chats, e.Backend, transport.SizeText(e.MaxBytes))
}

// filtered reports whether the options filter the list (search,
// unread_only): an API total is then of unknown meaning (see progress).
func (o ListOptions) filtered() bool { return o.Search != "" || o.UnreadOnly }

// sorted reports whether the caller asked for an order of its own.
func (o ListOptions) sorted() bool { return o.SortBy != "" || o.SortOrder != "" }

// sort returns the effective sort field and order.
func (o ListOptions) sort() (SortField, SortOrder) {
	by, order := o.SortBy, o.SortOrder
	if by == "" {
		by = SortByLastMessageTime
	}
	if order == "" {
		order = Descending
	}
	return by, order
}

func (o ListOptions) pageSize() int {
	if o.PageSize <= 0 {
		return DefaultPageSize
	}
	return o.PageSize
}

// OptionError is an option that cannot be served. Option is the option's
// neutral name (page_size, instance_id, webhooks.received); Kind says why
// when a caller may want to advise on it, else KindUnknown.
type OptionError struct {
	Option string
	Reason string
	Kind   Kind
}

func (e *OptionError) Error() string { return e.Option + ": " + e.Reason }

// Validate rejects options no backend can serve. The provider validates the
// same bounds in its schema; this guards other callers.
func (o ListOptions) Validate() error {
	switch {
	case o.Page < 0:
		return &OptionError{Option: "page", Reason: fmt.Sprintf("must be at least 1, got %d", o.Page)}
	case o.PageSize < 0 || o.PageSize > MaxPageSize:
		return &OptionError{Option: "page_size", Reason: fmt.Sprintf("must be between 1 and %d, got %d", MaxPageSize, o.PageSize)}
	case o.MaxResults < 0:
		return &OptionError{Option: "max_results", Reason: fmt.Sprintf("must be at least 1, got %d", o.MaxResults)}
	case o.SortBy != "" && !slices.Contains(SortFields, o.SortBy):
		return &OptionError{Option: "sort_by", Reason: fmt.Sprintf("unknown sort field %q", o.SortBy)}
	case o.SortOrder != "" && !slices.Contains(SortOrders, o.SortOrder):
		return &OptionError{Option: "sort_order", Reason: fmt.Sprintf("unknown sort order %q", o.SortOrder)}
	}
	return nil
}

// ChatList is the result of a listing.
type ChatList struct {
	Chats []Chat
	// Total is the number of chats that match, when known.
	Total *int64
	// HasMore reports whether chats exist beyond those returned.
	HasMore bool
}
