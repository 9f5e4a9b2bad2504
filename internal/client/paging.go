package client

import (
	"context"
	"fmt"
	"slices"
	"sync"
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
	if z, ok := c.api.(*zapi); ok {
		if err := z.needInstance("chats"); err != nil {
			return localWork{}, err
		}
	}
	caps := c.api.serves()
	if opts.InstanceID != "" && !caps.otherInstances {
		return localWork{}, &OptionError{"instance_id", c.Backend() + " has no other instances to choose from: a Z-API provider block reads one instance, so configure another instance with a provider alias"}
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
	col := newCollector(c.Backend(), localWork{}, size, 0, kept)
	if _, err := col.add(0, p); err != nil {
		return nil, err
	}
	list := &ChatList{Chats: kept.chats, Total: p.total}
	switch {
	case p.hasMore != nil:
		list.HasMore = *p.hasMore
	case len(p.chats) == size:
		list.HasMore, err = c.chatAfter(ctx, opts, col)
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
	col := newCollector(c.Backend(), local, size, stopAt, sink)
	col.readOn = true
	query := func(i int) pageQuery { return pageQuery{index: i, size: size, opts: opts} }

	first, err := c.fetch(ctx, query(0))
	if err != nil {
		return nil, err
	}
	more, err := col.add(0, first)
	if err != nil {
		return nil, err
	}
	if more {
		fetch := func(ctx context.Context, i int) (*page, error) { return c.fetch(ctx, query(i)) }
		workers := c.core.opts.MaxConcurrentRequests
		if stopAt > 0 && local.none() {
			// No more pages at once than max_results can still use.
			workers = min(workers, max(1, pagesFor(stopAt, size)-1))
		}
		err = fetchInOrder(ctx, workers, 1, col.pageBound(first, local), fetch, col.add)
		if err != nil {
			return nil, err
		}
	}
	if err := col.check(); err != nil {
		return nil, err
	}
	return col, nil
}

// fetchInOrder fetches pages from, from+1, ... (up to to, exclusive, when
// to >= 0) with at most workers in flight, and hands them to consume in page
// order, as a sequential read would. It stops at the first error or when
// consume says there is no more; pages fetched beyond that are dropped.
//
// With the end unknown (to < 0, an API that sends no total), every page in
// flight past the end when it arrives is a request wasted. So the window
// starts at two pages and widens by one for each page that says more
// follow, doubling each round trip up to workers: a list that ends on page
// n costs at most n + min(n, workers) - 1 requests, where a window of
// workers from the start costs n + workers - 1.
func fetchInOrder(ctx context.Context, workers, from, to int,
	fetch func(context.Context, int) (*page, error), consume func(int, *page) (bool, error),
) error {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()

	type result struct {
		p   *page
		err error
	}
	var window []chan result
	next := from
	launch := func() bool {
		if to >= 0 && next >= to {
			return false
		}
		ch, i := make(chan result, 1), next
		next++
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := fetch(ctx, i)
			ch <- result{p, err}
		}()
		window = append(window, ch)
		return true
	}
	width := max(workers, 1)
	if to < 0 {
		width = min(width, 2)
	}
	fill := func() {
		for len(window) < width && launch() {
		}
	}
	fill()
	for i := from; len(window) > 0; i++ {
		r := <-window[0]
		window = window[1:]
		if r.err != nil {
			return r.err
		}
		more, err := consume(i, r.p)
		if err != nil || !more {
			return err
		}
		width = min(width+1, max(workers, 1))
		fill()
	}
	return nil
}

// collector gathers pages in order: it drops chats already seen (offset
// pages shift when chats arrive mid-read), applies the local filter, hands
// the chats that pass to its sink, and tracks where the list ends.
type collector struct {
	backend  string
	local    localWork
	size     int
	stopAt   int
	seen     map[string]struct{}
	unique   int
	sink     chatSink
	matched  int // chats handed to sink
	total    *int64
	complete bool // the last page was read
	stopped  bool // stopAt was reached before the last page
	pages    int
	// readOn is set when the pages after each one are read too: offsets
	// then assume every page but the last is full.
	readOn bool
	// stale counts the pages in a row that held no chat not read before.
	stale int
	// first and previous identify the chats of the first and the last page
	// read, to tell an API that ignores the page from one that lists the
	// same id twice (Z-API's own example has two chats with one phone).
	first, previous pageKeys
}

// pageKeys identify a page's chats by id, name and last message time.
type pageKeys []chatKey

type chatKey struct {
	id, name string
	last     int64
}

func pageKeysOf(chats []Chat) pageKeys {
	keys := make(pageKeys, len(chats))
	for i := range chats {
		keys[i] = chatKey{id: chats[i].ID}
		if n := chats[i].Name; n != nil {
			keys[i].name = *n
		}
		if t := chats[i].LastMessageTime; t != nil {
			keys[i].last = t.UnixMicro()
		}
	}
	return keys
}

// repeats reports whether chats start the way the page of keys did: the
// same chats again, in the same order.
func (keys pageKeys) repeats(chats []Chat) bool {
	if len(chats) > len(keys) {
		return false
	}
	for i, k := range pageKeysOf(chats) {
		if k != keys[i] {
			return false
		}
	}
	return true
}

// chatSink takes the chats a read keeps, one at a time and in list order:
// a list keeps them (chatSlice), a summary folds them into counts
// (ChatSummary) and keeps none, so its memory does not grow with the list.
type chatSink interface {
	keep(ch *Chat) error
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

func newCollector(backend string, local localWork, size, stopAt int, sink chatSink) *collector {
	return &collector{backend: backend, local: local, size: size, stopAt: stopAt, sink: sink, seen: map[string]struct{}{}}
}

func (col *collector) add(index int, p *page) (bool, error) {
	col.pages++
	fresh := 0
	for i := range p.chats {
		ch := &p.chats[i]
		if _, dup := col.seen[ch.ID]; dup {
			continue
		}
		col.seen[ch.ID] = struct{}{}
		fresh++
		if col.local.keep(ch) {
			col.matched++
			if err := col.sink.keep(ch); err != nil {
				return false, err
			}
		}
	}
	col.unique += fresh
	if p.total != nil {
		col.total = p.total
	}
	if err := col.checkProgress(index, p, fresh); err != nil {
		return false, err
	}
	if index == 0 {
		col.first = pageKeysOf(p.chats)
	}
	col.previous = pageKeysOf(p.chats)
	end := len(p.chats) == 0 || len(p.chats) < col.size
	if p.hasMore != nil {
		end = len(p.chats) == 0 || !*p.hasMore
	}
	// Every chat the API counted has been read, whatever hasMore says.
	if col.total != nil && int64(col.unique) == *col.total {
		end = true
	}
	if !end && col.readOn && len(p.chats) < col.size {
		return false, &PagingError{Backend: col.backend, Page: index + 1,
			Reason: fmt.Sprintf("it held %d chats where %d were asked for, yet the API said more follow; reading on from the next offset would skip chats, "+
				"so the API seems to serve smaller pages than asked (a smaller page_size may help)", len(p.chats), col.size)}
	}
	col.complete = end
	// Enough chats to stop: unless this page was the last, when the read is
	// complete after all and the matching chats can be counted.
	if !end && col.stopAt > 0 && col.matched >= col.stopAt {
		col.stopped = true
	}
	return !end && !col.stopped, nil
}

// maxStalePages is how many pages in a row may bring no chat not read
// before. One such page can be honest: chats that share an id (Z-API's own
// example has two with one phone), or a list that shifted during the read.
// Two in a row mean the API is not moving through the list.
const maxStalePages = 2

// checkProgress refuses a page that shows the API ignores the page it is
// asked for: one that repeats the first or the previous page, or the
// second page in a row without a chat not read before. Without it, an API
// with no total would be asked for pages until the read timed out.
func (col *collector) checkProgress(index int, p *page, fresh int) error {
	if index == 0 || fresh > 0 || len(p.chats) == 0 {
		col.stale = 0
		return nil
	}
	col.stale++
	switch {
	case col.first.repeats(p.chats) || col.previous.repeats(p.chats):
		return &PagingError{Backend: col.backend, Page: index + 1,
			Reason: "it repeated chats already read on an earlier page, so the API seems to ignore the page it is asked for"}
	case col.stale >= maxStalePages:
		return &PagingError{Backend: col.backend, Page: index + 1,
			Reason: fmt.Sprintf("%d pages in a row held only chats already read, so the API seems to ignore the page it is asked for", col.stale)}
	}
	return nil
}

// pageBound is the page index to stop fanning out at: known from the first
// page's total when the API sends one, else -1 (read until a short page).
func (col *collector) pageBound(first *page, local localWork) int {
	if first.total == nil {
		return -1
	}
	bound := pagesFor(int(*first.total), col.size)
	if col.stopAt > 0 && local.none() {
		bound = min(bound, pagesFor(col.stopAt, col.size))
	}
	return bound
}

func pagesFor(n, size int) int { return (n + size - 1) / size }

// check refuses a read whose pages do not add up to the API's total.
func (col *collector) check() error {
	if col.stopped {
		return nil
	}
	if !col.complete {
		return &PagingError{Backend: col.backend, Page: col.pages,
			Reason: "the API still reported more chats after the pages its total promised; the chat list changed while it was read"}
	}
	if col.total != nil && int64(col.unique) != *col.total {
		return &PagingError{Backend: col.backend, Page: col.pages,
			Reason: fmt.Sprintf("the API reported %d chats but its pages held %d different ones; the chat list changed while it was read", *col.total, col.unique)}
	}
	return nil
}

// result sorts and slices chats, the chats the read kept.
func (col *collector) result(opts ListOptions, local localWork, chats []Chat) *ChatList {
	if local.sort {
		sortChats(chats, local.by, local.order)
	}
	list := &ChatList{Total: col.total}
	if list.Total == nil && col.complete {
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
