package emulator

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"
)

func TestHook_AnswersInPlaceOfTheEmulator(t *testing.T) {
	s := New(Options{Chats: 5})
	s.SetFaults(Faults{FailFirst: 5}) // the hook comes before every fault
	s.SetHook(func(r *http.Request, _ int64) *Reply {
		return &Reply{Status: http.StatusTeapot, Header: http.Header{"X-Test": {"1"}}, Body: []byte(`[{"phone":"<b>"}]`)}
	})
	rec := get(s, zapiPath+"?page=1&pageSize=5", zapiAuth)
	if rec.Code != http.StatusTeapot || rec.Body.String() != `[{"phone":"<b>"}]` || rec.Header().Get("X-Test") != "1" {
		t.Fatalf("got %d %v %s, want the hook's answer", rec.Code, rec.Header(), rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q, want the JSON default", ct)
	}
	s.SetHook(func(*http.Request, int64) *Reply {
		return &Reply{Status: http.StatusOK, Header: http.Header{"Content-Type": {"text/html"}}}
	})
	if ct := get(s, "/anything", nil).Header().Get("Content-Type"); ct != "text/html" {
		t.Errorf("Content-Type %q, want the hook's own", ct)
	}
}

func TestHook_SeesEveryRequestNumberedAndPassesThrough(t *testing.T) {
	s := New(Options{Chats: 5})
	var mu sync.Mutex
	var seen []string
	var nums []int64
	s.SetHook(func(r *http.Request, n int64) *Reply {
		mu.Lock()
		defer mu.Unlock()
		seen, nums = append(seen, r.URL.Query().Get("page")), append(nums, n)
		if n == 2 {
			return &Reply{Delay: time.Millisecond} // waits, then the emulator answers
		}
		return nil
	})
	for _, page := range []string{"1", "2", "3"} {
		if rec := get(s, zapiPath+"?pageSize=2&page="+page, zapiAuth); rec.Code != http.StatusOK {
			t.Fatalf("page %s: status %d, want the emulator's 200", page, rec.Code)
		}
	}
	if !slices.Equal(seen, []string{"1", "2", "3"}) || !slices.Equal(nums, []int64{1, 2, 3}) {
		t.Errorf("hook saw pages %v numbered %v, want 1 2 3 numbered 1 2 3", seen, nums)
	}
	if got := len(zapiPage(t, s, "page=3&pageSize=2")); got != 1 {
		t.Errorf("page 3 has %d chats, want the emulator's 1", got)
	}
	s.SetHook(nil)
	if s.Requests() != 4 {
		t.Errorf("Requests() = %d, want 4", s.Requests())
	}
}

func TestHook_DelayEndsWithTheRequest(t *testing.T) {
	s := New(Options{Chats: 5})
	s.SetHook(func(*http.Request, int64) *Reply { return &Reply{Status: http.StatusOK, Delay: time.Hour} })
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, zapiPath+"?page=1&pageSize=1", nil)
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() { s.ServeHTTP(rec, req); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the hook's delay outlived the request")
	}
	if rec.Body.Len() != 0 || len(rec.Header()) != 0 {
		t.Errorf("a request that ended during the delay got %v %q, want nothing", rec.Header(), rec.Body)
	}
}

func TestAnswer_IsTheEmulatorsAnswerWithoutCounting(t *testing.T) {
	s := New(Options{Chats: 5})
	s.SetFaults(Faults{FailFirst: 1, Malformed: MalformedObject})
	req := httptest.NewRequest(http.MethodGet, zapiPath+"?page=1&pageSize=2", nil)
	req.Header.Set("Client-Token", "demo-client-token")
	got := s.Answer(req)
	want := get(s, zapiPath+"?page=1&pageSize=2", zapiAuth) // FailFirst takes this one
	if want.Code != http.StatusServiceUnavailable {
		t.Fatalf("FailFirst was used by Answer: status %d", want.Code)
	}
	want = get(s, zapiPath+"?page=1&pageSize=2", zapiAuth)
	if got.Status != want.Code || string(got.Body) != want.Body.String() || got.Header.Get("Content-Type") != want.Header().Get("Content-Type") {
		t.Errorf("Answer = %d %s, want the served %d %s", got.Status, got.Body, want.Code, want.Body)
	}
	if s.Requests() != 2 {
		t.Errorf("Requests() = %d, want 2 (Answer counts nothing)", s.Requests())
	}
	if a := s.Answer(httptest.NewRequest(http.MethodGet, "/nowhere", nil)); a.Status != http.StatusNotFound {
		t.Errorf("Answer for an unknown path: %d, want 404", a.Status)
	}
}
