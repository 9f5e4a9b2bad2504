package client

import "fmt"

// progress follows a read through the pages of a list: it tells the chats
// not read before (offset pages shift when chats arrive mid-read), tracks
// where the list ends, and refuses pages that show the API is not moving
// through the list or that do not add up.
type progress struct {
	backend string
	size    int
	// readOn is set when the pages after each one are read too: offsets
	// then assume every page but the last is full.
	readOn bool
	seen   map[string]struct{}
	unique int
	total  *int64
	// filtered: the API filters the list (search, unreadOnly), and its
	// reference does not say whether its total counts the chats that
	// match or all of them; it is then not read.
	filtered bool
	// unconfirmed: the first page was shorter than asked, from an API that
	// sends neither total nor hasMore and documents no largest page size:
	// the end, or the most it serves a page. A probe tells (readAll).
	unconfirmed bool
	complete    bool // the last page was read
	pages       int
	// stale counts the pages in a row that held no chat not read before.
	stale int
	// first and previous identify the chats of the first and the last page
	// read, to tell an API that ignores the page from one that lists the
	// same id twice (Z-API's own example has two chats with one phone).
	first, previous pageKeys
}

func newProgress(backend string, size int, readOn bool) *progress {
	return &progress{backend: backend, size: size, readOn: readOn, seen: map[string]struct{}{}}
}

// firstSight reports whether the chat id is read for the first time.
func (pr *progress) firstSight(id string) bool {
	if _, dup := pr.seen[id]; dup {
		return false
	}
	pr.seen[id] = struct{}{}
	pr.unique++
	return true
}

// page records page index, which held fresh chats not read before, and
// reports whether it was the last.
func (pr *progress) page(index int, p *page, fresh int) (bool, error) {
	pr.pages++
	if p.total != nil && !pr.filtered {
		pr.total = p.total
	}
	if err := pr.checkProgress(index, p, fresh); err != nil {
		return false, err
	}
	if index == 0 {
		pr.first = pageKeysOf(p.chats)
	}
	pr.previous = pageKeysOf(p.chats)
	end := len(p.chats) == 0 || len(p.chats) < pr.size
	if p.hasMore != nil {
		end = len(p.chats) == 0 || !*p.hasMore
	}
	// Every chat the API counted has been read, whatever hasMore says.
	if pr.total != nil && int64(pr.unique) == *pr.total {
		end = true
	}
	if end && index == 0 && pr.readOn && p.hasMore == nil && pr.total == nil && len(p.chats) > 0 && len(p.chats) < pr.size {
		pr.unconfirmed = true
		return false, nil
	}
	if !end && pr.readOn && len(p.chats) < pr.size {
		return false, &PagingError{Backend: pr.backend, Page: index + 1,
			Reason: fmt.Sprintf("it held %d chats where %d were asked for, yet the API said more follow; reading on from the next offset would skip chats, "+
				"so the API seems to serve smaller pages than asked (a smaller page size may help)", len(p.chats), pr.size)}
	}
	pr.complete = end
	return end, nil
}

// confirmEnd records that a probe found nothing after a short first page:
// it was the last.
func (pr *progress) confirmEnd() {
	pr.unconfirmed, pr.complete = false, true
}

// servesAtMost records that the API serves at most n chats a page, as a
// probe after a short first page of n found more: the rest is read n at a
// time.
func (pr *progress) servesAtMost(n int) {
	pr.unconfirmed, pr.size = false, n
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
func (pr *progress) checkProgress(index int, p *page, fresh int) error {
	if index == 0 || fresh > 0 || len(p.chats) == 0 {
		pr.stale = 0
		return nil
	}
	pr.stale++
	switch {
	case pr.first.repeats(p.chats) || pr.previous.repeats(p.chats):
		return &PagingError{Backend: pr.backend, Page: index + 1,
			Reason: "it repeated chats already read on an earlier page, so the API seems to ignore the page it is asked for"}
	case pr.stale >= maxStalePages:
		return &PagingError{Backend: pr.backend, Page: index + 1,
			Reason: fmt.Sprintf("%d pages in a row held only chats already read, so the API seems to ignore the page it is asked for", pr.stale)}
	}
	return nil
}

// check refuses a read whose pages do not add up to the API's total.
func (pr *progress) check() error {
	if !pr.complete {
		return &PagingError{Backend: pr.backend, Page: pr.pages,
			Reason: "the API still reported more chats after the pages its total promised; the chat list changed while it was read"}
	}
	if pr.total != nil && int64(pr.unique) != *pr.total {
		return &PagingError{Backend: pr.backend, Page: pr.pages,
			Reason: fmt.Sprintf("the API reported %d chats but its pages held %d different ones; the chat list changed while it was read", *pr.total, pr.unique)}
	}
	return nil
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
