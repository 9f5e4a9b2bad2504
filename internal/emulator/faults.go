package emulator

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Faults makes the server misbehave. The zero value is a well-behaved server.
// Faults apply in this order: Latency, Hang, RateLimit, FailFirst, then the
// API answers and Malformed rewrites a successful answer.
type Faults struct {
	// Latency is added before every answer; a canceled request ends the wait.
	Latency time.Duration
	// FailFirst requests to either API after SetFaults answer FailStatus
	// (503 when 0) with that API's error body.
	FailFirst  int
	FailStatus int
	// RateLimit, when > 0, allows that many requests per RateWindow (1s when
	// 0) per API; the rest get 429. Windows are fixed and start at the first
	// request after SetFaults or after the previous window ended.
	RateLimit  int
	RateWindow time.Duration
	// RetryAfter adds Retry-After (seconds, rounded up) to 429 answers and,
	// for EnviaAI, error.retryAfter to the body.
	RetryAfter bool
	// Malformed breaks successful (200) answers: "html" (a 502 HTML page),
	// "truncated" (the first half of the JSON), "empty" (no body) or
	// "object" (the list wrapped in {"chats":[...]}: the whole Z-API body,
	// EnviaAI's data field, the partner listing's content; answers holding
	// one object are left as they are).
	Malformed string
	// IgnorePage makes Z-API (chats and the partner listing) serve page 1
	// whatever page says.
	IgnorePage bool
	// Hang never answers; the request ends only when its context is done.
	Hang bool
	// FailWrites writes (Z-API's PUTs, EnviaAI's PATCH and the webhooks'
	// POST, PUT and DELETE) after SetFaults
	// answer FailWriteStatus (503 when 0) with the API's error body and
	// change nothing; reads are served as usual. They count after
	// RateLimit and FailFirst.
	FailWrites      int
	FailWriteStatus int
	// FailWriteRetryAfter, when > 0, adds Retry-After (seconds, rounded
	// up) to those answers, and EnviaAI's error.retryAfter.
	FailWriteRetryAfter time.Duration
	// IgnoreWrites answers every write as the API does when it applied it,
	// and changes nothing: a write acknowledged but not applied.
	IgnoreWrites bool
	// RefuseQueue answers Z-API's queue/count with 400 ZAPIQueueRefusal,
	// as an account whose queue cannot be read might.
	RefuseQueue bool

	// The switches below pick among answers the public references leave
	// open, so a client can be tested against each reading of them.

	// ZAPIMaxPageSize, when > 0, caps Z-API's chat pageSize below the
	// emulator's 1000: a larger pageSize is served that many chats, and
	// pages are counted with the lowered size. Z-API documents no maximum.
	ZAPIMaxPageSize int
	// ZAPITokenNotConfigured answers a request without Client-Token with
	// 400 "your client-token is not configured" in place of "null not
	// allowed": Z-API sends both.
	ZAPITokenNotConfigured bool
	// EnviaAIUnfilteredTotal makes the chat listing's pagination.total count
	// every chat of the instance, not those search and unreadOnly keep
	// (hasMore still follows the filtered list): the reference does not say
	// which it counts.
	EnviaAIUnfilteredTotal bool
	// RefuseWebhookClears refuses a write that clears a webhook: Z-API's
	// {"value": ""} answers 400 ZAPIRefusedWebhook, EnviaAI's webhookUrl
	// null or "" answers 400 invalid_webhook_url; nothing changes. Neither
	// reference says how a webhook is cleared.
	RefuseWebhookClears bool
}

// Malformed kinds.
const (
	MalformedHTML      = "html"
	MalformedTruncated = "truncated"
	MalformedEmpty     = "empty"
	MalformedObject    = "object"
)

// Validate reports settings SetFaults cannot honor.
func (f Faults) Validate() error {
	switch f.Malformed {
	case "", MalformedHTML, MalformedTruncated, MalformedEmpty, MalformedObject:
	default:
		return fmt.Errorf("unknown Malformed kind %q (want html, truncated, empty or object)", f.Malformed)
	}
	if f.FailStatus != 0 && (f.FailStatus < 400 || f.FailStatus > 599) {
		return fmt.Errorf("FailStatus %d is not an HTTP error status (400-599)", f.FailStatus)
	}
	if f.FailWriteStatus != 0 && (f.FailWriteStatus < 400 || f.FailWriteStatus > 599) {
		return fmt.Errorf("FailWriteStatus %d is not an HTTP error status (400-599)", f.FailWriteStatus)
	}
	if f.Latency < 0 || f.ZAPIMaxPageSize < 0 || f.FailFirst < 0 || f.RateLimit < 0 || f.RateWindow < 0 || f.FailWrites < 0 || f.FailWriteRetryAfter < 0 {
		return fmt.Errorf("fault durations and counts must not be negative")
	}
	return nil
}

// SetFaults replaces the faults and restarts the FailFirst count and the
// rate-limit windows. It panics when f.Validate fails, as a typo in a test
// must not silently turn a fault off.
func (s *Server) SetFaults(f Faults) {
	if err := f.Validate(); err != nil {
		panic("emulator: " + err.Error())
	}
	s.faults.set(f)
}

type faultState struct {
	mu         sync.Mutex
	f          Faults
	failLeft   int
	writesLeft int
	windows    map[api]*rateWindow
}

type rateWindow struct {
	start time.Time
	used  int
}

func (fs *faultState) set(f Faults) {
	if f.FailStatus == 0 {
		f.FailStatus = http.StatusServiceUnavailable
	}
	if f.RateWindow == 0 {
		f.RateWindow = time.Second
	}
	if f.FailWriteStatus == 0 {
		f.FailWriteStatus = http.StatusServiceUnavailable
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.f = f
	fs.failLeft = f.FailFirst
	fs.writesLeft = f.FailWrites
	fs.windows = map[api]*rateWindow{}
}

func (fs *faultState) current() Faults {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.f
}

// admit counts a request against the rate limit and FailFirst. It returns the
// rate-limit headers to send and, when the request must fail, why.
func (fs *faultState) admit(a api, now time.Time) (http.Header, *apiError) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	h := http.Header{}
	if fs.f.RateLimit > 0 {
		if err := fs.limit(a, now, h); err != nil {
			return h, err
		}
	}
	if fs.failLeft > 0 {
		fs.failLeft--
		st := fs.f.FailStatus
		return h, &apiError{status: st, code: errorCode(st), message: http.StatusText(st)}
	}
	return h, nil
}

// admitWrite counts a write against FailWrites, adding Retry-After to h
// when the failure asks for a wait.
func (fs *faultState) admitWrite(h http.Header) *apiError {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.writesLeft <= 0 {
		return nil
	}
	fs.writesLeft--
	st := fs.f.FailWriteStatus
	err := &apiError{status: st, code: errorCode(st), message: http.StatusText(st)}
	if st == http.StatusTooManyRequests {
		err.code = "rate_limit_exceeded"
	}
	if d := fs.f.FailWriteRetryAfter; d > 0 {
		err.retryAfter = int(ceilSeconds(d))
		h.Set("Retry-After", strconv.Itoa(err.retryAfter))
	}
	return err
}

func (fs *faultState) limit(a api, now time.Time, h http.Header) *apiError {
	w := fs.windows[a]
	if w == nil || !now.Before(w.start.Add(fs.f.RateWindow)) {
		w = &rateWindow{start: now}
		fs.windows[a] = w
	}
	w.used++
	end := w.start.Add(fs.f.RateWindow)
	h.Set("X-RateLimit-Limit", strconv.Itoa(fs.f.RateLimit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(fs.f.RateLimit-w.used, 0)))
	h.Set("X-RateLimit-Reset", strconv.FormatInt((end.UnixMilli()+999)/1000, 10))
	if w.used <= fs.f.RateLimit {
		return nil
	}
	err := &apiError{status: http.StatusTooManyRequests, code: "rate_limit_exceeded", message: "Rate limit exceeded"}
	if fs.f.RetryAfter {
		err.retryAfter = int(max(ceilSeconds(end.Sub(now)), 1))
		h.Set("Retry-After", strconv.Itoa(err.retryAfter))
	}
	return err
}

func ceilSeconds(d time.Duration) int64 {
	return int64((d + time.Second - 1) / time.Second)
}

// errorCode turns a status into an EnviaAI-style code: 503 becomes
// "service_unavailable".
func errorCode(status int) string {
	return strings.ReplaceAll(strings.ToLower(http.StatusText(status)), " ", "_")
}

const badGatewayPage = `<!DOCTYPE html>
<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>
`

// malform applies the body faults that do not need the API's help; "object"
// is built by the APIs themselves.
func malform(r response, kind string) response {
	if r.status != http.StatusOK {
		return r
	}
	switch kind {
	case MalformedHTML:
		r.status = http.StatusBadGateway
		r.header.Set("Content-Type", "text/html")
		r.body = []byte(badGatewayPage)
	case MalformedTruncated:
		r.body = r.body[:len(r.body)/2]
	case MalformedEmpty:
		r.body = nil
	}
	return r
}
