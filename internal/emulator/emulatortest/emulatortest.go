// Package emulatortest serves the emulator to a test: Start is the one
// constructor, Inject the one way to make the APIs misbehave, and Received
// what the server got. Only tests import it.
package emulatortest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
)

// Server is the emulator serving on loopback for one test. The emulator's
// data and what it holds (ZAPIChats, Writes, Requests, Answer, ...) are
// read through it; its faults are set with Inject alone.
type Server struct {
	*emulator.Server
	// URL is the base URL of both APIs.
	URL string

	// SetHook and SetFaults hide the emulator's methods of those names, so
	// that a test cannot replace the hook this server numbers requests
	// with, nor set faults another way than Inject.
	SetHook, SetFaults struct{}

	srv  *httptest.Server
	conn atomic.Pointer[func(http.ResponseWriter, *http.Request, int64) bool]
	mu   sync.Mutex
	reqs []Request
}

// Request is what the server received of one request.
type Request struct {
	N      int64 // 1 for the first request
	Method string
	URL    *url.URL // the path and query, as received
	Header http.Header
	At     time.Time
}

// Fault is what the APIs do wrong from Inject on. Its parts apply in this
// order, each only to the requests the one before let through:
type Fault struct {
	// Conn gets the connection's own writer before anything else, for
	// what no answer can express: a connection cut, a body stalled part
	// way. It returns true when it dealt with the request.
	Conn func(w http.ResponseWriter, r *http.Request, n int64) bool
	// Hook is an exact answer, or a delay (see emulator.Hook and
	// emulator.Reply); n is numbered as Received numbers requests.
	Hook emulator.Hook
	// Faults are the emulator's own (emulator.Faults): latency, hangs,
	// rate limits, failures counted over both APIs, malformed answers,
	// writes refused or ignored, and the other readings of the references.
	emulator.Faults
}

// Start serves an emulator built from opts until the test ends.
func Start(t testing.TB, opts emulator.Options) *Server {
	t.Helper()
	s := &Server{Server: emulator.New(opts)}
	s.srv = httptest.NewServer(s)
	t.Cleanup(s.srv.Close)
	s.URL = s.srv.URL
	return s
}

// Close stops the server before the test ends; it waits for the requests
// in flight.
func (s *Server) Close() { s.srv.Close() }

// Inject replaces the fault in force; Inject(Fault{}) lifts it. Like
// emulator.Server.SetFaults, it restarts the FailFirst and FailWrites
// counts and the rate-limit windows.
func (s *Server) Inject(f Fault) {
	if f.Conn == nil {
		s.conn.Store(nil)
	} else {
		s.conn.Store(&f.Conn)
	}
	if h := f.Hook; h == nil {
		s.Server.SetHook(nil)
	} else {
		s.Server.SetHook(func(r *http.Request, _ int64) *emulator.Reply { return h(r, number(r)) })
	}
	s.Server.SetFaults(f.Faults)
}

// Received lists every request received so far, in order, whatever its
// answer.
func (s *Server) Received() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.reqs)
}

// ServeHTTP records r, then lets the fault or the emulator answer it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	n := int64(len(s.reqs) + 1)
	u := *r.URL
	s.reqs = append(s.reqs, Request{N: n, Method: r.Method, URL: &u, Header: r.Header.Clone(), At: time.Now()})
	s.mu.Unlock()
	r = r.WithContext(context.WithValue(r.Context(), numberKey{}, n))
	if c := s.conn.Load(); c != nil && (*c)(w, r, n) {
		return
	}
	s.Server.ServeHTTP(w, r)
}

type numberKey struct{}

func number(r *http.Request) int64 {
	n, _ := r.Context().Value(numberKey{}).(int64)
	return n
}

// Handler is a hook that answers every request as h writes it.
func Handler(h func(w http.ResponseWriter, r *http.Request, n int64)) emulator.Hook {
	return func(r *http.Request, n int64) *emulator.Reply {
		w := httptest.NewRecorder()
		h(w, r, n)
		return &emulator.Reply{Status: w.Code, Header: w.Header(), Body: w.Body.Bytes()}
	}
}
