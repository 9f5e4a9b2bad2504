package transport

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"time"
)

// retryPolicy says whether an attempt is tried again: r is its reply, or nil
// when it brought none and failed with err.
type retryPolicy func(ctx context.Context, r *reply, err error) bool

// readRetryPolicy retries what may pass: a failure to connect or to read the
// whole answer, a 429, and a 5xx other than 501 (or a status of 0). It never
// retries once ctx is done, nor a failure that would only fail again: a bad
// URL scheme, an invalid header, a certificate that is not trusted.
func readRetryPolicy(ctx context.Context, r *reply, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	if err != nil {
		return !permanentFailure(err)
	}
	return r.status == http.StatusTooManyRequests || r.status == 0 ||
		r.status >= 500 && r.status != http.StatusNotImplemented
}

// writeRetryPolicy retries a write only when the API cannot have applied
// it: the connection was never made, or the API said so (429, or 503 with
// Retry-After).
func writeRetryPolicy(ctx context.Context, r *reply, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	if err != nil {
		return neverSent(err)
	}
	return retryableWrite(r.status, r.header)
}

// Failures net/http names only in their text.
var (
	tooManyRedirects = regexp.MustCompile(`stopped after \d+ redirects\z`)
	permanentText    = regexp.MustCompile(`unsupported protocol scheme|invalid header|certificate is not trusted`)
)

// permanentFailure is a failure to send that the same request would meet
// again.
func permanentFailure(err error) bool {
	var urlErr *url.Error
	if !errors.As(err, &urlErr) {
		return false
	}
	text := urlErr.Error()
	_, untrusted := urlErr.Err.(*tls.CertificateVerificationError)
	return tooManyRedirects.MatchString(text) || permanentText.MatchString(text) || untrusted
}

// send runs the attempts at req: the first, then a retry after each one
// retry allows, until MaxRetries retries have run. Between attempts it
// waits (see backoff), and a wait is cut short when ctx is done. It returns
// the last attempt's reply, or when that attempt brought none, its error,
// and how many attempts ran.
func (t *Transport) send(ctx context.Context, req *http.Request, body []byte, retry retryPolicy) (*reply, int, error) {
	for attempts := 1; ; attempts++ {
		r, err := t.attempter.send(withBody(req, body))
		if attempts > t.opts.MaxRetries || !retry(ctx, r, err) {
			return r, attempts, err
		}
		wait := backoff(t.opts.RetryWaitMin, t.opts.RetryWaitMax, t.opts.MaxRetryAfter, attempts-1, r, time.Now())
		fields := map[string]any{"backend": t.backend, "attempt": attempts, "wait_ms": wait.Milliseconds()}
		if r != nil {
			fields["status"] = r.status
		}
		t.opts.Logger.Warn(ctx, "Retrying request", fields)
		if err := sleep(ctx, wait); err != nil {
			return nil, attempts, err
		}
	}
}

// withBody is a copy of req that sends body from its start; a nil body
// sends none.
func withBody(req *http.Request, body []byte) *http.Request {
	r := req.Clone(req.Context())
	if body != nil {
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		r.ContentLength = int64(len(body))
	}
	return r
}

// sleep waits for d, or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// retryableWrite tells a write's answer the API cannot have applied: 429,
// and 503 with Retry-After.
func retryableWrite(status int, h http.Header) bool {
	return status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable && h.Get("Retry-After") != ""
}

// neverSent reports a failure to connect: no byte of the request left.
func neverSent(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}
