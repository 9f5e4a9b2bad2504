package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client/transport"
)

// HTTPOptions tune the transport both backends share (see transport.Options).
type HTTPOptions = transport.Options

// Logger receives the client's log lines; the provider routes them to tflog.
// Field values never hold a credential.
type Logger = transport.Logger

// Defaults for HTTPOptions.
const (
	DefaultRequestTimeout        = transport.DefaultRequestTimeout
	DefaultMaxRetries            = transport.DefaultMaxRetries
	DefaultMaxConcurrentRequests = transport.DefaultMaxConcurrentRequests
	DefaultMinRetryWait          = transport.DefaultMinRetryWait
	DefaultMaxRetryWait          = transport.DefaultMaxRetryWait
	DefaultMaxRetryAfter         = transport.DefaultMaxRetryAfter
	DefaultMaxBodyBytes          = transport.DefaultMaxBodyBytes
)

// newTransport is the transport of one backend: wait reads the wait a 429
// body asks for (nil for an API that names none), and no text it quotes
// holds a value under a field withheld names.
func newTransport(name string, opts HTTPOptions, wait transport.BodyWait, secrets ...string) *transport.Transport {
	return transport.New(transport.API{Name: name, BodyWait: wait, Withheld: isPersonalName}, opts, secrets...)
}

// Only so much of a page's answer is read: PageBodyBase plus
// PageBodyPerChat for each chat asked for (7.25 MiB for a page of 100).
// A chat's JSON is a few hundred bytes, so this leaves room for long last
// messages and still bounds what an API that sends more than it was asked
// for can make the caller hold: at most MaxConcurrentRequests such
// bodies are in flight at once.
const (
	PageBodyBase    = 1 << 20
	PageBodyPerChat = 64 << 10
)

// pageBodyLimit is what a page of size chats needs.
func pageBodyLimit(size int) transport.BodyLimit {
	if size == 1 {
		return itemsBodyLimit(size, "chat")
	}
	return itemsBodyLimit(size, "chats")
}

// itemsBodyLimit is what a page of size items needs, as for chats.
func itemsBodyLimit(size int, items string) transport.BodyLimit {
	return transport.BodyLimit{Bytes: PageBodyBase + int64(size)*PageBodyPerChat, What: fmt.Sprintf("a page of %d %s", size, items)}
}

// bearer is the Authorization header that carries token.
func bearer(token string) http.Header {
	return http.Header{"Authorization": {"Bearer " + token}}
}

// errorReader reads an API's error body; each backend is one.
type errorReader interface {
	apiError(r redactor, a *transport.Answer) *APIError
}

// getJSON sends one GET and returns a 2xx answer; any other is the API's
// error, as api reads it.
func getJSON(ctx context.Context, t *transport.Transport, api errorReader, u *url.URL, header http.Header) (*transport.Answer, error) {
	a, err := t.Get(ctx, u, header)
	if err != nil {
		return nil, bodyError(err)
	}
	if !a.OK() {
		return nil, api.apiError(t, a)
	}
	return a, nil
}

// write sends one write (settings, a webhook) and returns its 2xx answer.
// It is retried only while the API cannot have applied it; a failure after
// the request may have reached the API is an *OutcomeUnknownError naming
// what was written.
func write(ctx context.Context, t *transport.Transport, api errorReader, method string, u *url.URL, header http.Header, body []byte, written []string) (*transport.Answer, error) {
	a, err := t.Write(ctx, method, u, header, body)
	if err != nil {
		var reqErr *RequestError
		if errors.As(err, &reqErr) && reqErr.NeverSent {
			return nil, err
		}
		return nil, &OutcomeUnknownError{Backend: t.Backend(), Settings: written, Err: bodyError(err)}
	}
	if a.OK() {
		return a, nil
	}
	apiErr := api.apiError(t, a)
	if a.OutcomeUnknown() {
		return nil, &OutcomeUnknownError{Backend: t.Backend(), Settings: written, Err: apiErr}
	}
	return nil, apiErr
}

// bodyError is an answer over its body cap as a *DecodeError (the answer
// is not what the API documents); any other error as it is.
func bodyError(err error) error {
	var limit *transport.LimitError
	if errors.As(err, &limit) {
		return &DecodeError{Backend: limit.Backend, StatusCode: limit.StatusCode, Index: -1, Err: limit}
	}
	return err
}
