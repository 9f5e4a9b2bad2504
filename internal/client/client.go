// Package client talks to Z-API and EnviaAI: it reads an account's chats
// and instances, writes an instance's settings, and manages EnviaAI's
// webhooks. It knows HTTP and the two APIs only. Both APIs meet their
// caller at Client and backend-neutral values (Chat, Instance,
// InstanceSettings, Webhook). Each API is one adapter (zapi*.go,
// enviaai*.go) that implements the whole backend contract: it turns the
// common options into its requests, its JSON into the common values, and
// its error bodies into *APIError. The collector (paging.go,
// paging_window.go, progress.go, local.go, summary.go) pages through a
// listing and applies what an API does not serve itself. All of them send
// through package transport (retries, pacing, body caps, redaction of what
// is quoted), which knows nothing of either API.
package client

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client/transport"
)

// Client reads and writes one Z-API instance (or, with a partner token, a
// Z-API partner account's listing) or one EnviaAI account. It is safe for
// concurrent use; concurrent requests share one rate-limit state.
type Client struct {
	api  backend
	core *transport.Transport
}

// backend is one API's adapter: the whole contract every API implements,
// so that an operation a backend lacks is a compile error. What only one
// API has is declared in it: capabilities says what each API does on the
// server, and an operation an API has no endpoint for is still implemented,
// by a typed error (Z-API's webhooks, a *NoWebhooksError).
type backend interface {
	chatBackend
	instanceBackend
	settingsBackend
	webhookBackend
}

var (
	_ backend = (*zapi)(nil)
	_ backend = (*enviaAI)(nil)
)

// chatBackend is the chats part of a backend's contract.
type chatBackend interface {
	name() string
	// serves says which list options the API applies on the server.
	serves() capabilities
	request(q pageQuery) (*url.URL, http.Header)
	decode(r redactor, a *transport.Answer) (*page, error)
	apiError(r redactor, a *transport.Answer) *APIError
	// needInstance reports a read of one instance (instanceID, or the
	// configured one when it is "") that the configuration cannot make:
	// a *CredentialsError.
	needInstance(read, instanceID string) error
}

// capabilities are what an API does itself; the client does the rest.
// flags says whether its chats carry the archived, pinned, muted and spam
// flags.
type capabilities struct {
	search, unreadOnly, sort, otherInstances, flags bool
	// phoneKeys: a chat's id is its phone, so no two chats share one.
	phoneKeys bool
	// instanceSearch: the instance listing searches on the server.
	instanceSearch bool
}

// pageQuery asks for the page at index (0-based) of size chats.
type pageQuery struct {
	index, size int
	opts        ListOptions
}

// page is one decoded answer. total and hasMore are nil when the API does
// not send them (Z-API).
type page struct {
	chats   []Chat
	total   *int64
	hasMore *bool
}

var (
	errNullList  = errors.New("the chat list is missing or null")
	errMissingID = errors.New("the chat has no identifier")
)

// redactor is what an adapter needs to quote text an API sent in an
// error: credentials replaced, cut and escaped. The transport, which knows
// the credentials, is the one implementation.
type redactor interface {
	// Clip replaces credentials in s and cuts it to n runes.
	Clip(s string, n int) string
	// Excerpt is the start of a body, through Clip.
	Excerpt(body []byte) string
}

func newClient(api backend, core *transport.Transport) *Client { return &Client{api: api, core: core} }

// Backend names the API behind the client ("Z-API" or "EnviaAI").
func (c *Client) Backend() string { return c.api.name() }

// fetch reads and decodes one page. Its body may be no larger than the
// page needs, and the page may hold no more chats than were asked for, so
// what one page can make the provider hold follows from its size.
func (c *Client) fetch(ctx context.Context, q pageQuery) (*page, error) {
	u, header := c.api.request(q)
	a, err := getJSON(ctx, c.core.Capped(pageBodyLimit(q.size)), c.api, u, header)
	if err != nil {
		return nil, err
	}
	p, err := c.api.decode(c.core, a)
	if err == nil && len(p.chats) > q.size {
		return nil, &PagingError{Backend: c.Backend(), Page: q.index + 1,
			Reason: fmt.Sprintf("%d chats were asked for and %d came, so the API does not page as asked", q.size, len(p.chats))}
	}
	return p, err
}

// parseBaseURL applies the default and checks the URL with CheckBaseURL.
func parseBaseURL(raw, def string) (*url.URL, error) {
	if raw == "" {
		raw = def
	}
	if err := CheckBaseURL(raw); err != nil {
		return nil, err
	}
	u, _ := url.Parse(strings.TrimRight(raw, "/"))
	return u, nil
}

// CheckBaseURL accepts https URLs, and plain http only to a loopback host
// (local emulators and tests): credentials never cross a network in clear.
// The error never repeats the URL: at most its scheme and host.
func CheckBaseURL(raw string) error {
	u, err := parseURL(raw)
	switch {
	case err != nil:
		return err
	case u.Host == "" || u.Hostname() == "":
		return errors.New("has no host; write it as https://host")
	case u.User != nil:
		return fmt.Errorf("must not hold a user name or password (%s); use the provider's credential attributes", urlHead(u))
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return fmt.Errorf("must not have a query or fragment (%s)", urlHead(u))
	}
	return checkScheme(u)
}

// parseURL parses raw; its error says what is wrong without repeating
// raw, which may hold a password or a token (url.Parse's error quotes it,
// or the part that did not parse).
func parseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err == nil {
		return u, nil
	}
	var urlErr *url.Error
	why := "it does not parse"
	if errors.As(err, &urlErr) {
		why = quotedPart.ReplaceAllString(urlErr.Err.Error(), "")
	}
	return nil, fmt.Errorf("is not a URL (%s); a character such as #, ?, @ or %% in a user name, a password or a path must be percent-encoded", strings.TrimPrefix(why, "net/url: "))
}

// quotedPart is a Go-quoted part of an error text.
var quotedPart = regexp.MustCompile(`\s*"(?:[^"\\]|\\.)*"`)

// urlHead is a parsed URL's scheme and host, all an error may show of it.
func urlHead(u *url.URL) string {
	return transport.Printable(u.Scheme + "://" + u.Host)
}

// checkScheme accepts https, and http to a loopback host.
func checkScheme(u *url.URL) error {
	switch strings.ToLower(u.Scheme) {
	case "https":
		return nil
	case "http":
		if isLoopback(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("uses plain http to a host that is not loopback (%s); use https (http is accepted only for localhost, 127.0.0.0/8 and ::1)", urlHead(u))
	}
	return fmt.Errorf("must start with https:// (http is accepted only for localhost, 127.0.0.0/8 and ::1), not %s", urlHead(u))
}

// CheckPathCredential accepts an identifier or token that goes into a URL
// path (Z-API's instance ID and token): letters, digits, '-', '.', '_' and
// '~', not dots alone. The error never repeats the value.
func CheckPathCredential(s string) error {
	if strings.Trim(s, ".") == "" {
		return errors.New("is empty or only dots")
	}
	for i, r := range s {
		if !isUnreserved(r) {
			return fmt.Errorf("holds a character other than letters, digits, '-', '.', '_' and '~' (at byte %d)", i+1)
		}
	}
	return nil
}

// isUnreserved reports the characters a URL path carries as they are.
func isUnreserved(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-._~", r)
}

// CheckHeaderCredential accepts a credential sent in a header (Z-API's
// Client-Token, EnviaAI's API key): visible ASCII only, no spaces or
// control characters. The error never repeats the value.
func CheckHeaderCredential(s string) error {
	if s == "" {
		return errors.New("is empty")
	}
	for i := range len(s) {
		if s[i] <= ' ' || s[i] > '~' {
			return fmt.Errorf("holds a space, a control character or a character outside ASCII (at byte %d)", i+1)
		}
	}
	return nil
}

// checkCredential checks a credential that is set; an empty one is left
// to the API to refuse, as before.
func checkCredential(name, value string, check func(string) error) error {
	if value == "" {
		return nil
	}
	if err := check(value); err != nil {
		return fmt.Errorf("the %s %w", name, err)
	}
	return nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
