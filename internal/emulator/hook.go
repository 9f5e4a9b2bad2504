package emulator

import (
	"net/http"
	"time"
)

// Reply is an answer a Hook gives in place of the emulator's.
type Reply struct {
	// Status 0 lets the emulator answer as usual, after Delay.
	Status int
	// Header is sent as is; Content-Type is application/json when it has
	// none.
	Header http.Header
	Body   []byte
	// Delay is waited before anything else. A request whose context ends
	// during the wait gets no answer, as with Faults.Latency.
	Delay time.Duration
}

// Hook sees every request before anything else does, with its number
// (1 for the first request the server received). It returns nil to let the
// emulator answer, or the Reply to send. It is called concurrently when
// requests are; it must not read r.Body when it returns nil or a Reply
// with Status 0, as the emulator reads it then.
type Hook func(r *http.Request, n int64) *Reply

// SetHook installs h for the requests that arrive from now on; nil removes
// it. Requests keep being counted whatever the hook does.
func (s *Server) SetHook(h Hook) {
	if h == nil {
		s.hook.Store(nil)
		return
	}
	s.hook.Store(&h)
}

// Answer is what the emulator answers r with the current faults, skipping
// the request-level ones (Latency, Hang, RateLimit, FailFirst, FailWrites):
// a hook can call it to pass a request through and change the answer. A
// write is applied. The request is not counted and the hook is not called.
func (s *Server) Answer(r *http.Request) Reply {
	resp := s.answer(r, s.faults.current(), nil)
	return Reply{Status: resp.status, Header: resp.header, Body: resp.body}
}

// hooked runs the hook and reports whether it answered r (or r ended while
// the hook's delay ran).
func (s *Server) hooked(w http.ResponseWriter, r *http.Request, n int64) bool {
	h := s.hook.Load()
	if h == nil {
		return false
	}
	rep := (*h)(r, n)
	if rep == nil {
		return false
	}
	if !sleep(r.Context(), rep.Delay) {
		return true
	}
	if rep.Status == 0 {
		return false
	}
	resp := response{status: rep.Status, header: rep.Header.Clone(), body: rep.Body}
	if resp.header == nil {
		resp.header = http.Header{}
	}
	if resp.header.Get("Content-Type") == "" {
		resp.header.Set("Content-Type", "application/json; charset=utf-8")
	}
	resp.write(w)
	return true
}
