package client

import (
	"context"
	"fmt"
	"slices"
)

// ListChats returns the chats opts asks for. Options an API serves itself
// are sent to it; the rest are applied here over every page (see local.go),
// so each option means the same on both APIs.
func (c *Client) ListChats(ctx context.Context, opts ListOptions) (*ChatList, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	local, err := c.localWork(opts)
	if err != nil {
		return nil, err
	}
	if opts.Page > 0 && local.none() {
		return c.onePage(ctx, opts)
	}
	kept := &chatSlice{backend: c.Backend()}
	if opts.MaxBytes > 0 && opts.SizeOf != nil && opts.Page == 0 && opts.MaxResults == 0 {
		// Every chat kept is returned, so none may pass the caller's limit.
		kept.maxBytes, kept.sizeOf = opts.MaxBytes, opts.SizeOf
	}
	col, err := c.readAll(ctx, opts, local, kept)
	if err != nil {
		return nil, err
	}
	return col.result(opts, local, kept.chats), nil
}

// localWork checks the options this API cannot serve at all and returns
// what the client must do itself.
func (c *Client) localWork(opts ListOptions) (localWork, error) {
	if err := c.api.needInstance("chats", opts.InstanceID); err != nil {
		return localWork{}, err
	}
	caps := c.api.serves()
	if opts.InstanceID != "" && !caps.otherInstances {
		return localWork{}, c.oneInstance()
	}
	return newLocalWork(opts, caps), nil
}

// onePage asks the API for one page as is.
func (c *Client) onePage(ctx context.Context, opts ListOptions) (*ChatList, error) {
	size := opts.pageSize()
	p, err := c.fetch(ctx, pageQuery{index: opts.Page - 1, size: size, opts: opts})
	if err != nil {
		return nil, err
	}
	kept := &chatSlice{}
	col := newCollector(c.Backend(), localWork{}, size, 0, false, kept)
	col.progress.filtered = opts.filtered()
	if _, err := col.add(0, p); err != nil {
		return nil, err
	}
	list := &ChatList{Chats: kept.chats, Total: col.progress.total}
	switch {
	case p.hasMore != nil:
		list.HasMore = *p.hasMore
	case len(p.chats) == size:
		list.HasMore, err = c.chatAfter(ctx, opts, col)
	case len(p.chats) > 0 && p.total == nil:
		err = c.confirmShortPage(ctx, opts, len(p.chats))
	}
	if list.Total == nil && opts.Page == 1 && !list.HasMore && err == nil {
		// The first page held every chat, so their number is known.
		n := int64(len(list.Chats))
		list.Total = &n
	}
	return list, err
}

// chatAfter tells whether a chat follows a full page, for an API that does
// not say: it asks for the single chat after it (page size 1).
func (c *Client) chatAfter(ctx context.Context, opts ListOptions, col *collector) (bool, error) {
	next, err := c.fetch(ctx, pageQuery{index: opts.Page * opts.pageSize(), size: 1, opts: opts})
	if err != nil {
		return false, err
	}
	if _, err := col.add(opts.Page, next); err != nil {
		return false, err
	}
	return len(next.chats) > 0, nil
}

// confirmShortPage tells the last page from one the API cut to the most it
// serves, for an API that sends neither total nor hasMore and documents no
// largest page size (Z-API): a short page 1 is the last when page 2 at its
// length is empty; a short later page, when page 1 is full. Else the API
// serves fewer chats a page than asked, and the page asked for cannot be
// told: that is the error.
func (c *Client) confirmShortPage(ctx context.Context, opts ListOptions, n int) error {
	size := opts.pageSize()
	probe := pageQuery{index: 1, size: n, opts: opts}
	if opts.Page > 1 {
		probe = pageQuery{index: 0, size: size, opts: opts}
	}
	p, err := c.fetch(ctx, probe)
	if err != nil {
		return err
	}
	served := n
	switch {
	case opts.Page == 1 && len(p.chats) == 0, opts.Page > 1 && len(p.chats) == size:
		return nil
	case opts.Page > 1:
		served = len(p.chats)
	}
	return &PagingError{Backend: c.Backend(), Page: opts.Page, Reason: fmt.Sprintf(
		"it held %d chats where %d were asked for, and more follow: the API seems to serve at most %d chats a page (its reference names no maximum), "+
			"so a page of %d cannot be read; ask for pages of %d chats or fewer", n, size, served, size, served)}
}

// readAll reads pages until the list ends (or, for a list, until stopAt),
// and hands each new chat that passes the local filter to sink, in list
// order. It returns the collector, which knows the total and whether the
// list was read to its end.
func (c *Client) readAll(ctx context.Context, opts ListOptions, local localWork, sink chatSink) (*collector, error) {
	size := opts.pageSize()
	if opts.Page > 0 {
		// The page is cut from the filtered list, so read in the largest pages.
		size = MaxPageSize
	}
	stopAt := 0
	if opts.Page == 0 && opts.MaxResults > 0 && !local.sort {
		// One chat past the limit tells whether there are more.
		stopAt = opts.MaxResults + 1
	}
	col := newCollector(c.Backend(), local, size, stopAt, true, sink)
	col.progress.filtered = opts.filtered()
	query := func(i int) pageQuery { return pageQuery{index: i, size: size, opts: opts} }

	first, err := c.fetch(ctx, query(0))
	if err != nil {
		return nil, err
	}
	more, err := col.add(0, first)
	if err != nil {
		return nil, err
	}
	from := 1
	if more && col.progress.unconfirmed {
		// A short first page from an API that documents no largest page
		// size is the end only if the page after it, at its length, is
		// empty; else the API serves that many a page, and the rest is
		// read at that size.
		n := len(first.chats)
		probe, err := c.fetch(ctx, pageQuery{index: 1, size: n, opts: opts})
		if err != nil {
			return nil, err
		}
		if len(probe.chats) == 0 {
			col.progress.confirmEnd()
			more = false
		} else {
			size = n
			col.progress.servesAtMost(n)
			if more, err = col.add(1, probe); err != nil {
				return nil, err
			}
			from = 2
		}
	}
	if more {
		fetch := func(ctx context.Context, i int) (*page, error) { return c.fetch(ctx, query(i)) }
		workers := c.core.MaxConcurrentRequests()
		if stopAt > 0 && local.none() {
			// No more pages at once than max_results can still use.
			workers = min(workers, max(1, pagesFor(stopAt, size)-1))
		}
		err = fetchInOrder(ctx, workers, from, col.pageBound(local), fetch, col.add)
		if err != nil {
			return nil, err
		}
	}
	if err := col.check(); err != nil {
		return nil, err
	}
	return col, nil
}

// collector gathers pages in order: it hands the chats its progress has
// not seen before and the local filter keeps to its sink, and stops a read
// once stopAt chats have matched.
type collector struct {
	progress *progress
	local    localWork
	sink     chatSink
	stopAt   int
	matched  int  // chats handed to sink
	stopped  bool // stopAt was reached before the last page
}

// chatSink takes the chats a read keeps, one at a time and in list order:
// a list keeps them (chatSlice), a summary folds them into counts
// (ChatSummary) and keeps none, so its memory does not grow with the list.
// enough says that no chat later in the list can change what the sink
// holds, so the read may stop.
type chatSink interface {
	keep(ch *Chat) error
	enough() bool
}

// chatSlice keeps every chat it is given. With maxBytes set, it refuses
// the chat that takes the chats kept past maxBytes, as sizeOf counts them.
type chatSlice struct {
	chats           []Chat
	backend         string
	maxBytes, bytes int64
	sizeOf          func(*Chat) int
}

func (s *chatSlice) keep(ch *Chat) error {
	s.chats = append(s.chats, *ch)
	if s.maxBytes > 0 {
		if s.bytes += int64(s.sizeOf(ch)); s.bytes > s.maxBytes {
			return &TooLargeError{Backend: s.backend, Chats: len(s.chats), MaxBytes: s.maxBytes}
		}
	}
	return nil
}

func (s *chatSlice) enough() bool { return false }

func newCollector(backend string, local localWork, size, stopAt int, readOn bool, sink chatSink) *collector {
	return &collector{progress: newProgress(backend, size, readOn), local: local, sink: sink, stopAt: stopAt}
}

// add takes page index and reports whether pages after it are wanted.
func (col *collector) add(index int, p *page) (bool, error) {
	fresh := 0
	for i := range p.chats {
		ch := &p.chats[i]
		if !col.progress.firstSight(ch.ID) {
			continue
		}
		fresh++
		if col.local.keep(ch) {
			col.matched++
			if err := col.sink.keep(ch); err != nil {
				return false, err
			}
		}
	}
	end, err := col.progress.page(index, p, fresh)
	if err != nil {
		return false, err
	}
	// Enough chats to stop: unless this page was the last, when the read is
	// complete after all and the matching chats can be counted.
	if !end && (col.stopAt > 0 && col.matched >= col.stopAt || col.sink.enough()) {
		col.stopped = true
	}
	return !end && !col.stopped, nil
}

// pageBound is the page index to stop fanning out at: known from the first
// page's total when the API sends one whose meaning is documented, else -1
// (read until hasMore says no more, or a short page).
func (col *collector) pageBound(local localWork) int {
	total := col.progress.total
	if total == nil {
		return -1
	}
	size := col.progress.size
	bound := pagesFor(int(*total), size)
	if col.stopAt > 0 && local.none() {
		bound = min(bound, pagesFor(col.stopAt, size))
	}
	return bound
}

func pagesFor(n, size int) int { return (n + size - 1) / size }

// check refuses a read whose pages do not add up, unless it stopped early.
func (col *collector) check() error {
	if col.stopped {
		return nil
	}
	return col.progress.check()
}

// result sorts and slices chats, the chats the read kept.
func (col *collector) result(opts ListOptions, local localWork, chats []Chat) *ChatList {
	if local.sort {
		sortChats(chats, local.by, local.order)
	}
	list := &ChatList{Total: col.progress.total}
	if list.Total == nil && col.progress.complete {
		n := int64(len(chats))
		list.Total = &n
	}
	switch {
	case opts.Page > 0:
		size := opts.pageSize()
		lo, hi := min((opts.Page-1)*size, len(chats)), min(opts.Page*size, len(chats))
		list.Chats, list.HasMore = slices.Clone(chats[lo:hi]), hi < len(chats)
	case opts.MaxResults > 0 && len(chats) > opts.MaxResults:
		list.Chats, list.HasMore = chats[:opts.MaxResults:opts.MaxResults], true
	default:
		list.Chats = chats
	}
	return list
}
