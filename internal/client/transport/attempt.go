package transport

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"time"
)

// errAttemptTimeout is one attempt running out of the per-request timeout.
var errAttemptTimeout = errors.New("request timeout")

// BodyWait reads the wait before the next request that a 429 body asks
// for, for an API that names one in its error body (EnviaAI's retryAfter).
type BodyWait func(body []byte) (time.Duration, bool)

// reply is what one attempt brought back: the status, the header, the whole
// body, and the wait that body asked for.
type reply struct {
	status int
	header http.Header
	body   []byte
	// bodyWait is the wait a 429 body asked for, when bodyWaitSet.
	bodyWait    time.Duration
	bodyWaitSet bool
}

// attempter runs one attempt: it waits for the pacer, then sends the
// request and reads the whole body, both within the per-request timeout. The
// body is read within the attempt rather than after the retries, so a
// connection reset or a timeout halfway through a body fails the attempt and
// is retried like any connection error, never handed on as a short answer.
// Waiting for the pacer is not charged to the timeout, so a rate limit never
// reads as a hang.
type attempter struct {
	// client sends through the base transport and refuses redirects; one
	// for all attempts, so its connections are pooled.
	client  *http.Client
	timeout time.Duration
	// maxBody caps the body; one byte more is read to tell that a body is
	// over the cap, and the reply keeps its status (Transport.do reports it).
	maxBody  int64
	pacer    *pacer
	bodyWait BodyWait // nil when the API names no wait in its bodies
}

func newAttempter(opts Options, p *pacer, wait BodyWait) *attempter {
	return &attempter{
		client:  &http.Client{Transport: opts.Transport, CheckRedirect: refuseRedirect},
		timeout: opts.RequestTimeout, maxBody: opts.MaxBodyBytes, pacer: p, bodyWait: wait,
	}
}

// refuseRedirect reports a redirect instead of following it: it would carry
// Client-Token, and a Referer holding the Z-API token, to whatever host it
// names.
func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

func (t *attempter) send(req *http.Request) (*reply, error) {
	if err := t.pacer.wait(req.Context()); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeoutCause(req.Context(), t.timeout, errAttemptTimeout)
	defer cancel()
	resp, err := t.client.Do(req.WithContext(ctx))
	if err != nil {
		return nil, attemptError(ctx, err)
	}
	data, err := readBody(resp.Body, t.maxBody, resp.ContentLength)
	_ = resp.Body.Close()
	if err != nil {
		return nil, attemptError(ctx, err)
	}
	r := &reply{status: resp.StatusCode, header: resp.Header, body: data}
	if r.status == http.StatusTooManyRequests && t.bodyWait != nil {
		r.bodyWait, r.bodyWaitSet = t.bodyWait(data)
	}
	t.pacer.observe(r, time.Now())
	return r, nil
}

// attemptError names the per-request timeout when it is what ended the
// attempt; any other failure is returned as it is.
func attemptError(ctx context.Context, err error) error {
	if errors.Is(context.Cause(ctx), errAttemptTimeout) {
		return errAttemptTimeout
	}
	return err
}

// readBody reads r to its end, but no further than limit+1 bytes: a body
// longer than limit is over the cap, and reading more would be waste. The
// bytes go into one buffer; when the server announces the length, the
// buffer is made that size at once and never grows.
func readBody(r io.Reader, limit, size int64) ([]byte, error) {
	capacity := int64(bytes.MinRead)
	if size >= 0 && size < limit {
		capacity = size + 1 // the extra byte lets the final read see EOF without growing
	}
	if limit < math.MaxInt64 {
		r = io.LimitReader(r, limit+1)
	}
	buf := make([]byte, 0, capacity)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// Capped is the same transport (retries, pacing, rate-limit state,
// redaction, request slots) whose answers' bodies are capped at l too.
func (t *Transport) Capped(l BodyLimit) *Transport {
	if l.Bytes >= t.bodyLimit().Bytes {
		return t
	}
	d, a := *t, *t.attempter
	a.maxBody = l.Bytes
	d.attempter, d.limit = &a, &l
	return &d
}

// bodyLimit is the cap on an answer's body: MaxBodyBytes, or less.
func (t *Transport) bodyLimit() *BodyLimit {
	if t.limit != nil {
		return t.limit
	}
	return &BodyLimit{Bytes: t.opts.MaxBodyBytes, What: "any answer"}
}
