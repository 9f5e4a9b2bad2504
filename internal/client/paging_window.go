package client

import (
	"context"
	"sync"
)

// narrowPages is how many pages after the first a read with no known end
// takes two at a time before its window starts to widen (see fetchInOrder).
const narrowPages = 4

// fetchInOrder fetches pages from, from+1, ... (up to to, exclusive, when
// to >= 0) with at most workers in flight, and hands them to consume in page
// order, as a sequential read would. It stops at the first error or when
// consume says there is no more; pages fetched beyond that are dropped.
//
// With the end unknown (to < 0, an API that sends no total), every page in
// flight past the end when it arrives is a request wasted, and only a
// window of two keeps that to one. So the first narrowPages pages are read
// two at a time: a list whose first short or empty page has index e <=
// narrowPages costs e + 2 requests, at most N + 2 for N pages that hold
// chats. After them the window widens by one for each page that says more
// follow, up to workers, as if it had widened from the start: no list costs
// more requests than that (n + min(n, workers) - 1 for a list that ends on
// page n), and a long list is read about as fast (BenchmarkListChatsLatency:
// 10,000 chats within 2% of widening from the start).
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
	width := windowWidth(workers, 0, to >= 0)
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
		width = windowWidth(workers, i+1-from, to >= 0)
		fill()
	}
	return nil
}

// windowWidth is how many pages fetchInOrder keeps in flight once read
// pages have come back full: every worker when the end is known, else two
// for the first narrowPages, then two more than have been read.
func windowWidth(workers, read int, endKnown bool) int {
	full := max(workers, 1)
	switch {
	case endKnown:
		return full
	case read < narrowPages:
		return min(2, full)
	}
	return min(2+read, full)
}
