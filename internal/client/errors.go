package client

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client/transport"
)

// APIError is an answer with a non-2xx status. Message and Code are the
// API's own words (EnviaAI's error.code, Z-API's "error" text), redacted.
type APIError struct {
	Backend    string
	StatusCode int
	Code       string
	Message    string
	// Excerpt is the start of a body that held no error message we know.
	Excerpt string
	// RequestID is EnviaAI's error.requestId, which its support asks for
	// (not a secret; redacted and cut like the rest).
	RequestID string
	Attempts  int
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s answered HTTP %d %s", e.Backend, e.StatusCode, http.StatusText(e.StatusCode))
	switch {
	case e.Code != "" && e.Message != "":
		fmt.Fprintf(&b, " with error %q: %q", e.Code, e.Message)
	case e.Code != "":
		fmt.Fprintf(&b, " with error %q", e.Code)
	case e.Message != "":
		fmt.Fprintf(&b, ": %q", e.Message)
	case e.Excerpt != "":
		fmt.Fprintf(&b, "; the body began %q", e.Excerpt)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request id %q)", e.RequestID)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	return b.String()
}

// DecodeError is a 2xx answer that is not the JSON the API documents.
type DecodeError struct {
	Backend    string
	StatusCode int
	// Index is the place on the page (from 0) of the chat that could not be
	// read, or -1 when the fault is not in one chat. Field is the path of the
	// value that could not be read: within that chat, or else within the
	// body (pagination.total); empty when no single value is to blame.
	Field   string
	Index   int
	Excerpt string
	Err     error
}

func (e *DecodeError) Error() string {
	var limit *transport.LimitError
	switch {
	case errors.As(e.Err, &limit):
		return limit.Error()
	case e.Index >= 0 && e.Field != "":
		return fmt.Sprintf("%s answered HTTP %d with a chat (number %d on the page) whose field %q could not be read: %v",
			e.Backend, e.StatusCode, e.Index+1, e.Field, e.Err)
	case e.Index >= 0:
		return fmt.Sprintf("%s answered HTTP %d with a chat (number %d on the page) that could not be read: %v; the body began %q",
			e.Backend, e.StatusCode, e.Index+1, e.Err, e.Excerpt)
	case e.Field != "":
		return fmt.Sprintf("%s answered HTTP %d with a body whose field %q could not be read: %v; the body began %q",
			e.Backend, e.StatusCode, e.Field, e.Err, e.Excerpt)
	}
	return fmt.Sprintf("%s answered HTTP %d with a body that is not the expected JSON (%v); the body began %q",
		e.Backend, e.StatusCode, e.Err, e.Excerpt)
}

func (e *DecodeError) Unwrap() error { return e.Err }

// RequestError is a request that got no usable answer: the connection
// failed, or every attempt timed out.
type RequestError = transport.RequestError

// PagingError is a listing whose pages do not add up.
type PagingError struct {
	Backend string
	Page    int
	Reason  string
}

func (e *PagingError) Error() string {
	return fmt.Sprintf("%s paging went wrong at page %d: %s", e.Backend, e.Page, e.Reason)
}

// ChatNotFoundError is a lookup of a phone that has no chat.
type ChatNotFoundError struct {
	Backend string
	Phone   string
}

func (e *ChatNotFoundError) Error() string {
	return fmt.Sprintf("%s has no chat with phone %q", e.Backend, e.Phone)
}

// AmbiguousPhoneError is a lookup of a phone that several chats share.
type AmbiguousPhoneError struct {
	Backend string
	Phone   string
	IDs     []string
}

func (e *AmbiguousPhoneError) Error() string {
	return fmt.Sprintf("%s has %d chats with phone %q (ids %q)", e.Backend, len(e.IDs), e.Phone, e.IDs)
}

// Kind names what went wrong in terms a caller can act on: the provider
// turns it into advice worded for its users.
type Kind int

// The kinds of failure KindOf tells apart.
const (
	KindUnknown Kind = iota
	// KindTimeout: the API did not answer within the request timeout.
	KindTimeout
	// KindUnreachable: the request got no answer (connection, DNS, proxy).
	KindUnreachable
	// KindPaging: the API's pages did not add up; the list may be incomplete.
	KindPaging
	// KindAmbiguousPhone: several chats share the phone looked up.
	KindAmbiguousPhone
	// KindNoChat: no chat has the phone looked up.
	KindNoChat
	// KindTooLarge: an answer's body was over its cap (see PageBodyBase).
	KindTooLarge
	// KindUnexpectedBody: a 2xx answer was not the JSON the API documents.
	KindUnexpectedBody
	// KindClientTokenMissing: Z-API wants the account's Client-Token.
	KindClientTokenMissing
	// KindClientTokenRefused: Z-API refused the Client-Token sent.
	KindClientTokenRefused
	// KindCredentialsRefused: the API refused the credentials.
	KindCredentialsRefused
	// KindNotConnected: the WhatsApp instance is not connected to a phone.
	KindNotConnected
	// KindUnknownInstance: the API knows no such instance.
	KindUnknownInstance
	// KindQueryRejected: the API rejected the query's parameters.
	KindQueryRejected
	// KindRedirect: the base URL answered with a redirect, not followed.
	KindRedirect
	// KindMethodRefused: the API refused the HTTP method.
	KindMethodRefused
	// KindContentType: the API wanted a Content-Type header.
	KindContentType
	// KindRateLimited: the API kept limiting the request rate.
	KindRateLimited
	// KindServerFailed: the API failed on its side (5xx).
	KindServerFailed
	// KindForbidden: the credentials lack access to the instance.
	KindForbidden
	// KindNotFound: the API answered 404 with nothing more specific.
	KindNotFound
	// KindOneInstance: a Z-API client serves its configured instance only.
	KindOneInstance
	// KindOutcomeUnknown: a write may or may not have been applied.
	KindOutcomeUnknown
	// KindClearRefused: the API refused to clear a webhook.
	KindClearRefused
)

// KindOf tells what went wrong in err, or KindUnknown.
func KindOf(err error) Kind {
	var apiErr *APIError
	var reqErr *RequestError
	var optErr *OptionError
	switch {
	case errors.As(err, new(*OutcomeUnknownError)):
		return KindOutcomeUnknown
	case errors.As(err, new(*ClearRefusedError)):
		return KindClearRefused
	case errors.As(err, &apiErr):
		return apiKind(apiErr)
	case errors.As(err, &reqErr) && reqErr.Timeout > 0:
		return KindTimeout
	case reqErr != nil:
		return KindUnreachable
	case errors.As(err, new(*PagingError)):
		return KindPaging
	case errors.As(err, new(*AmbiguousPhoneError)):
		return KindAmbiguousPhone
	case errors.As(err, new(*ChatNotFoundError)):
		return KindNoChat
	case errors.Is(err, transport.ErrBodyTooLarge):
		return KindTooLarge
	case errors.As(err, new(*DecodeError)):
		return KindUnexpectedBody
	case errors.As(err, &optErr):
		return optErr.Kind
	}
	return KindUnknown
}

func apiKind(e *APIError) Kind {
	msg := strings.ToLower(e.Message)
	switch {
	// Z-API names a missing Client-Token "null not allowed", whatever the
	// status, or "your client-token is not configured" (HTTP 400).
	case strings.Contains(msg, "null not allowed"),
		strings.Contains(msg, "client-token") && strings.Contains(msg, "not configured"):
		return KindClientTokenMissing
	case strings.Contains(msg, "client-token"):
		return KindClientTokenRefused
	case e.Code == "invalid_api_key" || e.StatusCode == http.StatusUnauthorized:
		return KindCredentialsRefused
	case e.Code == "instance_disconnected" || strings.Contains(msg, "not connected"):
		return KindNotConnected
	case e.Code == "invalid_instance" || e.Code == "instance_not_found" || strings.Contains(msg, "instance not found"):
		return KindUnknownInstance
	case e.Code == "invalid_parameters":
		return KindQueryRejected
	case e.StatusCode >= 300 && e.StatusCode <= 399:
		return KindRedirect
	case e.StatusCode == http.StatusMethodNotAllowed:
		return KindMethodRefused
	case e.StatusCode == http.StatusUnsupportedMediaType:
		return KindContentType
	case e.StatusCode == http.StatusTooManyRequests:
		return KindRateLimited
	case e.StatusCode >= 500:
		return KindServerFailed
	case e.StatusCode == http.StatusForbidden:
		return KindForbidden
	case e.StatusCode == http.StatusNotFound:
		return KindNotFound
	}
	return KindUnknown
}
