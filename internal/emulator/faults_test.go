package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// endpoints is one good request per API.
var endpoints = []struct {
	name   string
	target string
	auth   http.Header
}{
	{"zapi", zapiPath + "?page=1&pageSize=3", zapiAuth},
	{"enviaai", enviaAIPath + "?instanceId=inst_demo&limit=3", enviaAuth},
}

func TestFaults_LatencyDelaysAnswers(t *testing.T) {
	s := New(Options{Chats: 5})
	s.SetFaults(Faults{Latency: 30 * time.Millisecond})
	start := time.Now()
	rec := get(s, endpoints[1].target, enviaAuth)
	if elapsed := time.Since(start); elapsed < 30*time.Millisecond || rec.Code != http.StatusOK {
		t.Errorf("answered %d after %s, want 200 after at least 30ms", rec.Code, elapsed)
	}
}

func TestFaults_LatencyEndsWithTheRequest(t *testing.T) {
	s := New(Options{Chats: 5})
	s.SetFaults(Faults{Latency: time.Hour})
	ctx, cancel := context.WithCancel(t.Context())
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, endpoints[0].target, nil)
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		s.ServeHTTP(rec, req)
		close(done)
	}()
	cancel()
	<-done // a handler stuck in the hour-long wait fails the test by timeout
	if rec.Body.Len() != 0 {
		t.Errorf("a canceled request got an answer: %s", rec.Body)
	}
}

func TestFaults_Hang(t *testing.T) {
	s := New(Options{Chats: 5})
	s.SetFaults(Faults{Hang: true})
	waiting, ended := make(chan struct{}), make(chan bool, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ww := &writeWatch{ResponseWriter: w}
		s.ServeHTTP(ww, r.WithContext(&doneWatch{Context: r.Context(), asked: waiting}))
		ended <- ww.wrote.Load()
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(t.Context())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+endpoints[1].target, nil)
	req.Header = enviaAuth.Clone()
	errc := make(chan error, 1)
	go func() {
		resp, err := srv.Client().Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	// The gate: the handler waits for the request to end.
	select {
	case err := <-errc:
		t.Fatalf("the request ended before the server waited (err %v)", err)
	case <-ended:
		t.Fatal("the handler returned while the client was still waiting")
	case <-waiting:
	}
	cancel() // the client gives up
	if err := <-errc; err == nil {
		t.Error("the client got an answer from a hanging server")
	}
	if wrote := <-ended; wrote { // the handler returns once the client has gone
		t.Error("a hanging server wrote an answer")
	}
}

// doneWatch closes asked when the handler first waits on the context.
type doneWatch struct {
	context.Context
	once  sync.Once
	asked chan struct{}
}

func (c *doneWatch) Done() <-chan struct{} {
	c.once.Do(func() { close(c.asked) })
	return c.Context.Done()
}

// writeWatch records whether the handler wrote anything.
type writeWatch struct {
	http.ResponseWriter
	wrote atomic.Bool
}

func (w *writeWatch) WriteHeader(code int) {
	w.wrote.Store(true)
	w.ResponseWriter.WriteHeader(code)
}

func (w *writeWatch) Write(b []byte) (int, error) {
	w.wrote.Store(true)
	return w.ResponseWriter.Write(b)
}

func TestFaults_FailFirst(t *testing.T) {
	tests := []struct {
		status   int
		wantCode int
		zapi     string
		enviaai  string
	}{
		{0, 503, `{"error":"Service Unavailable"}`, `{"success":false,"error":{"code":"service_unavailable","message":"Service Unavailable","requestId":"req_service_unavailable"}}`},
		{500, 500, `{"error":"Internal Server Error"}`, `{"success":false,"error":{"code":"internal_server_error","message":"Internal Server Error","requestId":"req_internal_server_error"}}`},
		{502, 502, `{"error":"Bad Gateway"}`, `{"success":false,"error":{"code":"bad_gateway","message":"Bad Gateway","requestId":"req_bad_gateway"}}`},
	}
	for _, tc := range tests {
		s := New(Options{Chats: 5})
		s.SetFaults(Faults{FailFirst: 3, FailStatus: tc.status})
		// Three failures shared by both APIs, then normal answers.
		for i, e := range []int{0, 1, 0, 1, 0} {
			ep := endpoints[e]
			rec := get(s, ep.target, ep.auth)
			want := map[string]string{"zapi": tc.zapi, "enviaai": tc.enviaai}[ep.name]
			if i < 3 && (rec.Code != tc.wantCode || rec.Body.String() != want) {
				t.Errorf("status %d, request %d (%s): %d %s, want %d %s", tc.status, i, ep.name, rec.Code, rec.Body, tc.wantCode, want)
			}
			if i >= 3 && rec.Code != http.StatusOK {
				t.Errorf("status %d, request %d (%s): %d after the failures", tc.status, i, ep.name, rec.Code)
			}
		}
		s.SetFaults(Faults{FailFirst: 1})
		if rec := get(s, endpoints[0].target, zapiAuth); rec.Code != 503 {
			t.Errorf("SetFaults did not restart the count: %d", rec.Code)
		}
	}
}

func TestFaults_RateLimit(t *testing.T) {
	for _, ep := range endpoints {
		t.Run(ep.name, func(t *testing.T) {
			s := New(Options{Chats: 5})
			now := time.Unix(1_770_000_000, 250e6)
			s.now = func() time.Time { return now }
			s.SetFaults(Faults{RateLimit: 2, RateWindow: 1500 * time.Millisecond, RetryAfter: true})
			wantReset := "1770000002" // 1770000001.75 rounded up
			for i, want := range []struct {
				status    int
				remaining string
			}{{200, "1"}, {200, "0"}, {429, "0"}, {429, "0"}} {
				rec := get(s, ep.target, ep.auth)
				h := rec.Header()
				if rec.Code != want.status || h.Get("X-RateLimit-Limit") != "2" || h.Get("X-RateLimit-Remaining") != want.remaining || h.Get("X-RateLimit-Reset") != wantReset {
					t.Errorf("request %d: %d with limit %q remaining %q reset %q", i, rec.Code, h.Get("X-RateLimit-Limit"), h.Get("X-RateLimit-Remaining"), h.Get("X-RateLimit-Reset"))
				}
				if want.status == 429 {
					checkRateLimited(t, ep.name, rec, "2")
				}
			}
			now = now.Add(1200 * time.Millisecond)
			checkRateLimited(t, ep.name, get(s, ep.target, ep.auth), "1") // 0.3s left rounds up
			now = now.Add(300 * time.Millisecond)
			rec := get(s, ep.target, ep.auth)
			if rec.Code != http.StatusOK || rec.Header().Get("X-RateLimit-Reset") != "1770000004" {
				t.Errorf("new window: %d, reset %q", rec.Code, rec.Header().Get("X-RateLimit-Reset"))
			}
		})
	}
}

func checkRateLimited(t *testing.T, api string, rec *httptest.ResponseRecorder, retryAfter string) {
	t.Helper()
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != retryAfter {
		t.Errorf("got %d with Retry-After %q, want 429 with %q", rec.Code, rec.Header().Get("Retry-After"), retryAfter)
	}
	want := `{"error":"Rate limit exceeded"}`
	if api == "enviaai" {
		want = `{"success":false,"error":{"code":"rate_limit_exceeded","message":"Rate limit exceeded","retryAfter":` + retryAfter + `,"requestId":"req_rate_limit_exceeded"}}`
	}
	if rec.Body.String() != want {
		t.Errorf("body %s, want %s", rec.Body, want)
	}
}

func TestFaults_RateLimitPerAPIAndWithoutRetryAfter(t *testing.T) {
	s := New(Options{Chats: 5})
	s.SetFaults(Faults{RateLimit: 1, RateWindow: time.Hour})
	z1, e1 := get(s, endpoints[0].target, zapiAuth), get(s, endpoints[1].target, enviaAuth)
	z2, e2 := get(s, endpoints[0].target, zapiAuth), get(s, endpoints[1].target, enviaAuth)
	if z1.Code != 200 || e1.Code != 200 || z2.Code != 429 || e2.Code != 429 {
		t.Fatalf("statuses %d %d %d %d, want 200 200 429 429", z1.Code, e1.Code, z2.Code, e2.Code)
	}
	if z2.Header().Get("Retry-After") != "" || e2.Header().Get("Retry-After") != "" || strings.Contains(e2.Body.String(), "retryAfter") {
		t.Errorf("Retry-After sent though RetryAfter is off: %v %s", e2.Header(), e2.Body)
	}
	s.SetFaults(Faults{})
	if rec := get(s, endpoints[0].target, zapiAuth); rec.Code != 200 || rec.Header().Get("X-RateLimit-Limit") != "" {
		t.Errorf("after clearing faults: %d with %v", rec.Code, rec.Header())
	}
}

func TestFaults_Malformed(t *testing.T) {
	clean := New(Options{Chats: 5})
	for _, ep := range endpoints {
		good := get(clean, ep.target, ep.auth).Body.Bytes()
		tests := []struct {
			kind   string
			status int
			check  func(body []byte) bool
		}{
			{MalformedHTML, 502, func(b []byte) bool { return bytes.HasPrefix(b, []byte("<!DOCTYPE html>")) }},
			{MalformedTruncated, 200, func(b []byte) bool {
				return len(b) > 0 && !json.Valid(b) && bytes.HasPrefix(good, b)
			}},
			{MalformedEmpty, 200, func(b []byte) bool { return len(b) == 0 }},
			{MalformedObject, 200, func(b []byte) bool { return isObjectList(ep.name, b, good) }},
		}
		for _, tc := range tests {
			t.Run(ep.name+" "+tc.kind, func(t *testing.T) {
				s := New(Options{Chats: 5})
				s.SetFaults(Faults{Malformed: tc.kind})
				rec := get(s, ep.target, ep.auth)
				if rec.Code != tc.status || !tc.check(rec.Body.Bytes()) {
					t.Errorf("got %d %q", rec.Code, rec.Body)
				}
				if bad := get(s, ep.target, nil); bad.Code == 200 || bad.Code == 502 || !json.Valid(bad.Body.Bytes()) {
					t.Errorf("an error answer was broken too: %d %q", bad.Code, bad.Body)
				}
			})
		}
	}
}

// isObjectList reports whether body holds good's list inside {"chats":...}:
// as the whole Z-API body, or as EnviaAI's data.
func isObjectList(api string, body, good []byte) bool {
	var got, want any
	if json.Unmarshal(body, &got) != nil || json.Unmarshal(good, &want) != nil {
		return false
	}
	if api == "enviaai" {
		g, _ := got.(map[string]any)
		w := want.(map[string]any)
		got, want = g["data"], w["data"]
	}
	obj, ok := got.(map[string]any)
	return ok && len(obj) == 1 && jsonEqual(obj["chats"], want)
}

func jsonEqual(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

func TestFaults_Validate(t *testing.T) {
	tests := []struct {
		f  Faults
		ok bool
	}{
		{Faults{}, true},
		{Faults{Malformed: "html", FailStatus: 599, FailFirst: 1}, true},
		{Faults{Malformed: "xml"}, false},
		{Faults{FailStatus: 200}, false},
		{Faults{FailStatus: 600}, false},
		{Faults{Latency: -time.Second}, false},
		{Faults{RateLimit: -1}, false},
	}
	for _, tc := range tests {
		if err := tc.f.Validate(); (err == nil) != tc.ok {
			t.Errorf("%+v: Validate() = %v", tc.f, err)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("SetFaults accepted an unknown Malformed kind")
		}
	}()
	New(Options{Chats: 1}).SetFaults(Faults{Malformed: "xml"})
}

// TestFaults_SetWhileServing is for the race detector: faults change while
// requests are in flight.
func TestFaults_SetWhileServing(t *testing.T) {
	s := New(Options{Chats: 20})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 50 {
				ep := endpoints[i%2]
				if rec := get(s, ep.target, ep.auth); rec.Code != 200 && rec.Code != 429 && rec.Code != 503 {
					t.Errorf("status %d", rec.Code)
				}
			}
		})
	}
	for i := range 50 {
		s.SetFaults(Faults{RateLimit: i % 5, FailFirst: i % 3})
	}
	wg.Wait()
	if s.Requests() != 400 {
		t.Errorf("Requests() = %d, want 400", s.Requests())
	}
}
