package client

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

// wholeReadBound is the most requests a read of an API that sends no total
// may cost when its list ends on page end (1-based: the first short or empty
// page), with at most workers pages in flight: every page up to the end,
// and the rest of the window that was in flight when the end arrived. That
// window is two pages while narrowPages pages after the first have not yet
// come back full, then two more than the pages that have, up to workers.
func wholeReadBound(end, workers int) int {
	if end <= 1 {
		return 1
	}
	width := min(end, max(workers, 1))
	if read := end - 2; read < narrowPages {
		width = min(2, max(workers, 1))
	}
	return end - 1 + width
}

// With no total, a list of N pages that ends within the narrow start costs
// at most N + 2 requests, and a longer one no more than a window widening
// from the start: counted here at the fetch, where no timing can hide a
// launched page.
func TestFetchInOrder_NarrowStartThenEveryWorker(t *testing.T) {
	ends := []int{2, 3, 4, 5, narrowPages, narrowPages + 1, narrowPages + 2, narrowPages + 3, 101}
	for _, workers := range []int{1, 2, 8, 16} {
		for _, end := range ends {
			t.Run(fmt.Sprintf("%d workers, ends on page %d", workers, end), func(t *testing.T) {
				var fetched atomic.Int64
				fetch := func(_ context.Context, i int) (*page, error) {
					fetched.Add(1)
					return &page{}, nil
				}
				consumed := 0
				consume := func(i int, _ *page) (bool, error) {
					consumed++
					return i+1 < end, nil // page i+1 (1-based) is the last
				}
				// Page 1 is read before, as readAll does.
				if err := fetchInOrder(t.Context(), workers, 1, -1, fetch, consume); err != nil {
					t.Fatal(err)
				}
				if consumed != end-1 {
					t.Errorf("consumed %d pages after the first, want %d", consumed, end-1)
				}
				got := 1 + int(fetched.Load())
				if want := wholeReadBound(end, workers); got != want {
					t.Errorf("%d requests, want %d", got, want)
				}
				// The fewest pages that hold chats: all before the end, when
				// the end page is empty.
				if n := end - 1; end <= narrowPages+1 && got > n+2 {
					t.Errorf("%d requests for a list of %d full pages, want at most N + 2 = %d", got, n, n+2)
				}
				if widening := end - 1 + min(end, max(workers, 1)); got > widening {
					t.Errorf("%d requests, more than the %d of a window widening from the start", got, widening)
				}
			})
		}
	}
}

// With the end known, every worker starts at once: no request is wasted, so
// there is nothing to gain from a narrow start.
func TestFetchInOrder_KnownEndUsesEveryWorker(t *testing.T) {
	started := make(chan int, 8)
	release := make(chan struct{})
	fetch := func(_ context.Context, i int) (*page, error) {
		started <- i
		<-release
		return &page{}, nil
	}
	done := make(chan error, 1)
	go func() {
		done <- fetchInOrder(t.Context(), 8, 1, 9, fetch, func(int, *page) (bool, error) { return true, nil })
	}()
	for range 8 {
		<-started // all 8 in flight before any answer
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// Through HTTP, on Z-API: the emulator counts what reached it, which is at most
// what was sent, so the bound holds however the requests interleave.
func TestZAPIWholeReadCostsFewRequests(t *testing.T) {
	for _, tc := range []struct{ chats, end int }{
		{0, 1}, {7, 2}, {100, 2}, {250, 3}, {300, 4}, {400, 5}, {450, 5}, {500, 6}, {1000, 11}, {10000, 101},
	} {
		t.Run(fmt.Sprintf("%d chats", tc.chats), func(t *testing.T) {
			z := serveZAPI(t, makeChats(tc.chats))
			opts := testOptions()
			opts.MaxConcurrentRequests = 8
			list, err := z.client(t, opts).ListChats(t.Context(), ListOptions{})
			if err != nil || len(list.Chats) != tc.chats {
				t.Fatalf("read %v chats: %v", list, err)
			}
			if n, most := z.count(), wholeReadBound(tc.end, 8); n > most {
				t.Errorf("%d requests for %d chats, want at most %d", n, tc.chats, most)
			}
		})
	}
}

// whatsapp_chat on Z-API, where a chat's id is its phone, stops at the page
// that holds the chat: a chat on page k costs at most k + 1 requests (the
// page in flight beside it), and only a phone with no chat reads the whole
// list.
func TestZAPIFindChatStopsAtTheChat(t *testing.T) {
	chats := makeChats(300)
	for _, tc := range []struct {
		name, phone string
		absent      bool
		most        int
	}{
		{"on the first page", chats[0].phone, false, 1},
		{"on the third page", chats[250].phone, false, 4},
		{"on no page", "5511000000000", true, wholeReadBound(4, 8)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			z := serveZAPI(t, chats)
			opts := testOptions()
			opts.MaxConcurrentRequests = 8
			ch, err := z.client(t, opts).FindChat(t.Context(), tc.phone, "")
			if tc.absent {
				assertAs[*ChatNotFoundError](t, err)
			} else if err != nil || ch.ID != tc.phone {
				t.Fatalf("found %v, %v; want the chat %s", ch, err, tc.phone)
			}
			if n := z.count(); n > tc.most {
				t.Errorf("%d requests, want at most %d", n, tc.most)
			}
		})
	}
}

// On EnviaAI a chat's id is not its phone, so a read goes on past the first
// match: two chats with one phone, pages apart, are an error naming both.
func TestEnviaAIFindChatReadsOnForASecondMatch(t *testing.T) {
	chats := makeChats(150) // every phone holds the first one's digits but the last
	want := chats[0].phone
	for i := 1; i < len(chats)-1; i++ {
		chats[i].phone = want + fmt.Sprintf("%03d", i)
	}
	chats[len(chats)-1].phone = "+" + want // the same phone, written otherwise
	// The newest chat and the oldest: pages apart in EnviaAI's order.
	chats[0].last = new(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	chats[len(chats)-1].last = new(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC))
	e := serveEnviaAI(t, chats)
	_, err := e.client(t, testOptions()).FindChat(t.Context(), want, "")
	amb := assertAs[*AmbiguousPhoneError](t, err)
	if want := []string{chats[0].id, chats[len(chats)-1].id}; !slices.Equal(slices.Sorted(slices.Values(amb.IDs)), want) {
		t.Errorf("ids %v, want %v", amb.IDs, want)
	}
	if n := e.count(); n != 2 {
		t.Errorf("%d requests, want the 2 pages the search matched", n)
	}
}

func TestWindowWidth(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		workers, read, width int
		endKnown             bool
	}{
		{"known end: every worker from the start", 16, 0, 16, true},
		{"known end: every worker past the narrow start", 16, narrowPages + 1, 16, true},
		{"known end: one worker", 1, 0, 1, true},
		{"no end: two pages at first", 16, 0, 2, false},
		{"no end: two pages to the last narrow one", 16, narrowPages - 1, 2, false},
		{"no end: widens after the narrow start", 16, narrowPages, narrowPages + 2, false},
		{"no end: one wider per page read", 16, narrowPages + 3, narrowPages + 5, false},
		{"no end: never past the workers", 16, 100, 16, false},
		{"no end: one worker stays one", 1, 0, 1, false},
		{"no end: zero workers count as one", 0, 100, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := windowWidth(tc.workers, tc.read, tc.endKnown); got != tc.width {
				t.Errorf("windowWidth(%d, %d, %v) = %d, want %d", tc.workers, tc.read, tc.endKnown, got, tc.width)
			}
		})
	}
}
