package transport

import (
	"errors"
	"fmt"
	"time"
)

// RequestError is a request that got no usable answer: the connection
// failed, or every attempt timed out.
type RequestError struct {
	Backend  string
	Attempts int
	// Timeout is the per-request timeout when the last attempt ran out of it.
	Timeout time.Duration
	// Err is already redacted.
	Err error
	// NeverSent: the last attempt never connected. A write retries only
	// attempts the API cannot have applied, so then none reached it.
	NeverSent bool
}

func (e *RequestError) Error() string {
	if e.Timeout > 0 {
		return fmt.Sprintf("%s did not answer within the request timeout of %s (%d attempts)", e.Backend, e.Timeout, e.Attempts)
	}
	return fmt.Sprintf("%s request failed after %d attempts: %v", e.Backend, e.Attempts, e.Err)
}

func (e *RequestError) Unwrap() error { return e.Err }

// ErrBodyTooLarge is what every *LimitError is (errors.Is).
var ErrBodyTooLarge = errors.New("body too large")

// BodyLimit is a cap on one answer's body, and what the request asked for
// ("a page of 100 chats"), which the error over it names.
type BodyLimit struct {
	Bytes int64
	What  string
}

// LimitError is an answer whose body was over its cap; the body was not
// read past it.
type LimitError struct {
	Backend    string
	StatusCode int
	Limit      BodyLimit
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("%s answered HTTP %d, but its body is larger than the %s allowed for %s, and was not read past that",
		e.Backend, e.StatusCode, SizeText(e.Limit.Bytes), e.Limit.What)
}

// Is makes every LimitError an ErrBodyTooLarge.
func (e *LimitError) Is(target error) bool { return target == ErrBodyTooLarge }

// SizeText is a byte count as a message gives it: bytes, or MiB past one.
func SizeText(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d bytes", n)
	}
	return fmt.Sprintf("%.2f MiB (%d bytes)", float64(n)/(1<<20), n)
}
