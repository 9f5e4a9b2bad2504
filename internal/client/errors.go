package client

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// APIError is an answer with a non-2xx status. Message and Code are the
// API's own words (EnviaAI's error.code, Z-API's "error" text), redacted.
type APIError struct {
	Backend    string
	StatusCode int
	Code       string
	Message    string
	// Excerpt is the start of a body that held no error message we know.
	Excerpt  string
	Attempts int
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
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	b.WriteString(".")
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
	var limit *bodyLimit
	switch {
	case errors.As(e.Err, &limit):
		return fmt.Sprintf("%s answered HTTP %d, but %v.", e.Backend, e.StatusCode, limit)
	case e.Index >= 0 && e.Field != "":
		return fmt.Sprintf("%s answered HTTP %d with a chat (number %d on the page) whose field %q could not be read: %v.",
			e.Backend, e.StatusCode, e.Index+1, e.Field, e.Err)
	case e.Index >= 0:
		return fmt.Sprintf("%s answered HTTP %d with a chat (number %d on the page) that could not be read: %v; the body began %q.",
			e.Backend, e.StatusCode, e.Index+1, e.Err, e.Excerpt)
	case e.Field != "":
		return fmt.Sprintf("%s answered HTTP %d with a body whose field %q could not be read: %v; the body began %q.",
			e.Backend, e.StatusCode, e.Field, e.Err, e.Excerpt)
	}
	return fmt.Sprintf("%s answered HTTP %d with a body that is not the expected JSON (%v); the body began %q.",
		e.Backend, e.StatusCode, e.Err, e.Excerpt)
}

func (e *DecodeError) Unwrap() error { return e.Err }

// RequestError is a request that got no usable answer: the connection
// failed, or every attempt timed out.
type RequestError struct {
	Backend  string
	Attempts int
	// Timeout is the per-request timeout when the last attempt ran out of it.
	Timeout time.Duration
	// Err is already redacted.
	Err error
	// neverSent: the last attempt never connected. A write retries only
	// attempts the API cannot have applied, so then none reached it.
	neverSent bool
}

func (e *RequestError) Error() string {
	if e.Timeout > 0 {
		return fmt.Sprintf("%s did not answer within the request timeout of %s (%d attempts).", e.Backend, e.Timeout, e.Attempts)
	}
	return fmt.Sprintf("The request to %s failed after %d attempts: %v.", e.Backend, e.Attempts, e.Err)
}

func (e *RequestError) Unwrap() error { return e.Err }

// PagingError is a listing whose pages do not add up.
type PagingError struct {
	Backend string
	Page    int
	Reason  string
}

func (e *PagingError) Error() string {
	return fmt.Sprintf("%s paging went wrong at page %d: %s.", e.Backend, e.Page, e.Reason)
}

// ChatNotFoundError is a lookup of a phone that has no chat.
type ChatNotFoundError struct {
	Backend string
	Phone   string
}

func (e *ChatNotFoundError) Error() string {
	return fmt.Sprintf("%s has no chat with phone %q.", e.Backend, e.Phone)
}

// AmbiguousPhoneError is a lookup of a phone that several chats share.
type AmbiguousPhoneError struct {
	Backend string
	Phone   string
	IDs     []string
}

func (e *AmbiguousPhoneError) Error() string {
	return fmt.Sprintf("%s has %d chats with phone %q (ids %q).", e.Backend, len(e.IDs), e.Phone, e.IDs)
}

// Hint says what a user can do about err, in full sentences, or "".
func Hint(err error) string {
	var apiErr *APIError
	var reqErr *RequestError
	var pagingErr *PagingError
	var notFound *ChatNotFoundError
	var ambiguous *AmbiguousPhoneError
	var decodeErr *DecodeError
	switch {
	case errors.As(err, &apiErr):
		return apiHint(apiErr)
	case errors.As(err, &reqErr):
		if reqErr.Timeout > 0 {
			return "Check that base_url points at the API and that it is up, or raise request_timeout."
		}
		return "Check base_url and the network path to the API (proxy, firewall, DNS), then run again."
	case errors.As(err, &pagingErr):
		return "The API did not page as documented, so the list cannot be trusted to be complete. Run again; if it persists, read one page at a time with the page argument."
	case errors.As(err, &ambiguous):
		return "Read them with the whatsapp_chats data source and its search argument, and pick one by id."
	case errors.As(err, &notFound):
		return "Check the phone number (international format, digits only), or list chats with the whatsapp_chats data source and its search argument."
	case errors.Is(err, errBodyTooLarge):
		return fmt.Sprintf("An answer this large holds far more than was asked for: check that base_url points at the API itself. "+
			"A page's answer may take %d MiB plus %d KiB for each chat asked for (page_size).", pageBodyBase>>20, pageBodyPerChat>>10)
	case errors.As(err, &decodeErr):
		return "The API changed its answer or something between the provider and the API rewrote it. Check base_url; if it is right, report the excerpt above to the provider developers."
	}
	return ""
}

func apiHint(e *APIError) string {
	msg := strings.ToLower(e.Message)
	zapi := e.Backend == BackendZAPI
	switch {
	// Z-API names a missing Client-Token "null not allowed", whatever the status.
	case strings.Contains(msg, "null not allowed"):
		return "The account requires its security token: set client_token (or ZAPI_CLIENT_TOKEN) to the Client-Token from the Z-API panel's Security tab."
	case strings.Contains(msg, "client-token"):
		return "The Client-Token was refused: check client_token (or ZAPI_CLIENT_TOKEN) against the Z-API panel's Security tab."
	case (e.Code == "invalid_api_key" || e.StatusCode == http.StatusUnauthorized) && zapi:
		return "The credentials were refused. Check token (ZAPI_TOKEN) and the instance_id (ZAPI_INSTANCE_ID) it belongs to."
	case e.Code == "invalid_api_key" || e.StatusCode == http.StatusUnauthorized:
		return "The credentials were refused. Check api_key (ENVIAAI_API_KEY)."
	case e.Code == "instance_disconnected" || strings.Contains(msg, "not connected"):
		return "The WhatsApp instance is not connected to a phone. Reconnect it in the API's panel (scan the QR code), then run again."
	case (e.Code == "invalid_instance" || e.Code == "instance_not_found" || strings.Contains(msg, "instance not found")) && zapi:
		return "Check instance_id (ZAPI_INSTANCE_ID) and the token that belongs to it."
	case e.Code == "invalid_instance" || e.Code == "instance_not_found" || strings.Contains(msg, "instance not found"):
		return "Check instance_id (ENVIAAI_INSTANCE_ID, or the data source's instance_id) against the instances of this API key."
	case e.Code == "invalid_parameters":
		return "The API rejected the query. Check the data source arguments; if they are valid, please report this issue to the provider developers."
	case e.StatusCode >= 300 && e.StatusCode <= 399:
		return "The base_url points at something that redirects (HTTP " + strconv.Itoa(e.StatusCode) + "). Redirects are not followed, so that credentials stay on the configured host: " +
			"set base_url to the address the API answers at itself."
	case e.StatusCode == http.StatusMethodNotAllowed:
		return "The API refused the HTTP method. The provider sends GET as documented, so check that base_url points at the API itself and not at a proxy or page that rewrites requests."
	case e.StatusCode == http.StatusUnsupportedMediaType:
		return "The API wants a Content-Type header. The provider sends Content-Type: application/json, so check that no proxy between the provider and the API strips it."
	case e.StatusCode == http.StatusTooManyRequests:
		return "The API kept limiting the request rate. Lower max_concurrent_requests, raise max_retries, or run again later."
	case e.StatusCode >= 500:
		return "The API failed on its side. Run again later; raise max_retries to ride out longer outages."
	case e.StatusCode == http.StatusForbidden && zapi:
		return "The credentials lack access to this instance. Check the instance's token and client_token."
	case e.StatusCode == http.StatusForbidden:
		return "The credentials lack access to this instance. Check api_key and instance_id."
	case e.StatusCode == http.StatusNotFound:
		return "Check base_url and instance_id."
	}
	return ""
}

// Text an API sends (error messages and codes, values that could not be
// read, body excerpts) reaches a message only through httpCore.clip, which
// replaces credentials on the text as sent and only then cuts it, and is
// printed quoted (%q, or printable for a JSON literal), so a control
// character or an escape sequence shows as \x1b and never acts on a terminal.

// maxQuotedRunes is the most of one text an API sent that a message quotes.
const maxQuotedRunes = 300

// clip makes text an API sent fit to quote: credentials replaced, then cut
// to n runes with "…" marking a cut, as if the whole text had been
// redacted first. Only a window at its start is read, so a 30 MB error
// string costs what a short one does.
func (h *httpCore) clip(s string, n int) string {
	for window := 4*n + (n+2)*h.longestSecret; len(s) > window; window *= 2 {
		// A credential the window's end cuts through starts within its
		// last longestSecret-1 bytes, which redaction leaves as they were:
		// drop them. What is left must still fill n runes; a window of
		// long credentials, once replaced, may not, and is widened.
		r := h.redact(s[:window])
		r = r[:max(0, len(r)-h.longestSecret)]
		if utf8.RuneCountInString(r) > n+utf8.UTFMax { // past a rune the cut may have split
			return string([]rune(r)[:n]) + "…"
		}
	}
	return cutRunes(h.redact(s), n)
}

// cutRunes cuts s to n runes, "…" marking a cut.
func cutRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// describe is err's text for a message, quoting what the API sent through
// clip: a value that could not be read is quoted from the value as sent.
func (h *httpCore) describe(err error) string {
	var ve *valueError
	if errors.As(err, &ve) {
		return fmt.Sprintf("want %s, got %s", ve.want, printable(h.clip(string(ve.got), valueRunes)))
	}
	return printable(h.clip(err.Error(), maxQuotedRunes))
}

// printable escapes the runes a terminal would act on or not show (control
// characters, escape sequences, invalid UTF-8, bidirectional overrides) as
// Go escapes, keeping the rest as it is. It is for text printed without
// quotes; %q does the same for quoted text.
func printable(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], string(utf8.RuneError)):
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unicode.IsPrint(r):
			b.WriteRune(r)
		default:
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		}
	}
	return b.String()
}
