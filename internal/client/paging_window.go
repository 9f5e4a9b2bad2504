package client

import (
	"context"
	"sync"
)

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
