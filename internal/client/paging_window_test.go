package client

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
)

// wholeReadBound is the most requests a read of an API that sends no total
// may cost when its list ends on page end (the first short or empty page),
// with at most workers pages in flight.
func wholeReadBound(end, workers int) int {
	if end <= 1 {
		return 1
	}
	return end - 1 + min(end, workers)
}

// With no total, the window starts at two pages and widens by one per full
// page, so a list ending on page n costs n - 1 + min(n, workers) requests:
// counted here at the fetch, where no timing can hide a launched page.
func TestFetchInOrder_WindowWidensWhilePagesAreFull(t *testing.T) {
	for _, workers := range []int{1, 2, 8} {
		for _, end := range []int{2, 3, 4, 5, 10, 101} {
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
				if got, want := 1+int(fetched.Load()), wholeReadBound(end, workers); got != want {
					t.Errorf("%d requests, want %d", got, want)
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
		{0, 1}, {7, 1}, {100, 2}, {250, 3}, {300, 4}, {1000, 11},
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

// whatsapp_chat on Z-API reads the whole list (see FindChat), at the cost
// of the same widening window, wherever the chat is.
func TestZAPIFindChatCostsFewRequests(t *testing.T) {
	chats := makeChats(300)
	z := serveZAPI(t, chats)
	opts := testOptions()
	opts.MaxConcurrentRequests = 8
	if _, err := z.client(t, opts).FindChat(t.Context(), chats[0].phone, ""); err != nil {
		t.Fatal(err)
	}
	if n, most := z.count(), wholeReadBound(4, 8); n > most {
		t.Errorf("%d requests to find a chat on the first of 3 pages, want at most %d", n, most)
	}
}
