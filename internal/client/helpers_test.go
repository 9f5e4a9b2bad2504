package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Credentials of the test accounts. They are distinctive so a test can look
// for them in every error string and log line.
const (
	testInstanceID  = "inst-3C4D5E"
	otherInstanceID = "inst-9F8E7D"
	testToken       = "tokSECRETz9Q8w7"
	testClientToken = "ctSECRETk4L3m2"
	testAPIKey      = "akSECRETe6R5t4"
	testUserAgent   = "terraform-provider-whatsapp/0.0.0-test Terraform/1.9.0"
)

var testSecrets = []string{testToken, testClientToken, testAPIKey}

// zapiPath is the chats path of the test Z-API instance.
var zapiPath = "/instances/" + testInstanceID + "/token/" + testToken + "/chats"

// countRoundTrips makes opts count the requests the client hands to its
// transport: what it sent, whether or not a server got to them before the
// attempt ended.
func countRoundTrips(opts *HTTPOptions) *atomic.Int64 {
	n := &atomic.Int64{}
	base := http.DefaultTransport.(*http.Transport).Clone()
	opts.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
		n.Add(1)
		return base.RoundTrip(r)
	})
	return n
}

// testOptions are fast HTTP options: millisecond backoff, a small cap on
// Retry-After, one request at a time. RequestTimeout is only a hang guard.
func testOptions() HTTPOptions {
	return HTTPOptions{
		UserAgent:             testUserAgent,
		RequestTimeout:        10 * time.Second,
		MaxRetries:            3,
		MaxConcurrentRequests: 1,
		RetryWaitMin:          time.Millisecond,
		RetryWaitMax:          5 * time.Millisecond,
		MaxRetryAfter:         20 * time.Millisecond,
	}
}

func newTestZAPI(t testing.TB, base string, opts HTTPOptions) *Client {
	t.Helper()
	c, err := NewZAPI(ZAPIConfig{BaseURL: base, InstanceID: testInstanceID, Token: testToken, ClientToken: testClientToken}, opts)
	if err != nil {
		t.Fatalf("NewZAPI: %v", err)
	}
	return c
}

func newTestEnviaAI(t testing.TB, base string, opts HTTPOptions) *Client {
	t.Helper()
	c, err := NewEnviaAI(EnviaAIConfig{BaseURL: base, APIKey: testAPIKey, InstanceID: testInstanceID}, opts)
	if err != nil {
		t.Fatalf("NewEnviaAI: %v", err)
	}
	return c
}

// ---- pointers and rendering -------------------------------------------------

func utcp(s string) *time.Time { return new(mustTime(s)) }
func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func showStr(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return strconv.Quote(*p)
}

func showBool(p *bool) string {
	if p == nil {
		return "<nil>"
	}
	return strconv.FormatBool(*p)
}

func showInt(p *int64) string {
	if p == nil {
		return "<nil>"
	}
	return strconv.FormatInt(*p, 10)
}

func showTime(p *time.Time) string {
	if p == nil {
		return "<nil>"
	}
	s := p.Format(time.RFC3339Nano)
	if p.Location() != time.UTC {
		s += " (not UTC: " + p.Location().String() + ")"
	}
	return s
}

// showChat renders every field of a chat, one per line, so two chats
// compare as text and a mismatch names the field.
func showChat(c Chat) string {
	var b strings.Builder
	fmt.Fprintf(&b, "ID=%q\n", c.ID)
	fmt.Fprintf(&b, "Phone=%s\nName=%s\n", showStr(c.Phone), showStr(c.Name))
	fmt.Fprintf(&b, "IsGroup=%s\nIsGroupAnnouncement=%s\n", showBool(c.IsGroup), showBool(c.IsGroupAnnouncement))
	fmt.Fprintf(&b, "Archived=%s\nPinned=%s\nMuted=%s\n", showBool(c.Archived), showBool(c.Pinned), showBool(c.Muted))
	fmt.Fprintf(&b, "MuteEndTime=%s\nMutedForever=%s\n", showTime(c.MuteEndTime), showBool(c.MutedForever))
	fmt.Fprintf(&b, "MarkedSpam=%s\nUnreadCount=%s\n", showBool(c.MarkedSpam), showInt(c.UnreadCount))
	fmt.Fprintf(&b, "LastMessageTime=%s\nProfilePicURL=%s\nCreatedAt=%s\n", showTime(c.LastMessageTime), showStr(c.ProfilePicURL), showTime(c.CreatedAt))
	if m := c.LastMessage; m == nil {
		b.WriteString("LastMessage=<nil>\n")
	} else {
		fmt.Fprintf(&b, "LastMessage.ID=%s\nLastMessage.Content=%s\nLastMessage.Timestamp=%s\nLastMessage.FromMe=%s\nLastMessage.Type=%s\n",
			showStr(m.ID), showStr(m.Content), showTime(m.Timestamp), showBool(m.FromMe), showStr(m.Type))
	}
	if n := c.Notes; n == nil {
		b.WriteString("Notes=<nil>\n")
	} else {
		fmt.Fprintf(&b, "Notes.ID=%s\nNotes.Content=%s\nNotes.CreatedAt=%s\nNotes.LastUpdatedAt=%s\n",
			showStr(n.ID), showStr(n.Content), showTime(n.CreatedAt), showTime(n.LastUpdatedAt))
	}
	return b.String()
}

// assertChat fails with the differing lines when got is not want.
func assertChat(t testing.TB, label string, got, want Chat) {
	t.Helper()
	g, w := strings.Split(showChat(got), "\n"), strings.Split(showChat(want), "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Errorf("%s: got %s, want %s", label, gl, wl)
		}
	}
}

func assertChats(t testing.TB, got, want []Chat) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d chats %v, want %d %v", len(got), chatIDs(got), len(want), chatIDs(want))
	}
	for i := range got {
		assertChat(t, fmt.Sprintf("chat %d", i), got[i], want[i])
	}
}

func chatIDs(chats []Chat) []string {
	ids := make([]string, len(chats))
	for i, c := range chats {
		ids[i] = c.ID
	}
	return ids
}

// assertAs fails unless err holds a *E and returns it.
func assertAs[E error](t testing.TB, err error) E {
	t.Helper()
	var target E
	if err == nil {
		t.Fatalf("got no error, want %T", target)
	}
	if !errors.As(err, &target) {
		t.Fatalf("got %T (%v), want %T", err, err, target)
	}
	return target
}

// assertNoSecret fails when s holds a credential in any form a URL gives it.
func assertNoSecret(t testing.TB, where, s string) {
	t.Helper()
	assertNoSecretOf(t, where, s, testSecrets...)
}

// assertNoSecretOf checks only the given secrets: a client can redact only
// the credentials it was configured with.
func assertNoSecretOf(t testing.TB, where, s string, secrets ...string) {
	t.Helper()
	for _, secret := range secrets {
		seen := map[string]bool{}
		for _, form := range []string{secret, url.PathEscape(secret), url.QueryEscape(secret), jsonEscaped(secret), strings.ReplaceAll(jsonEscaped(secret), "/", `\/`)} {
			if !seen[form] && strings.Contains(s, form) {
				t.Errorf("%s holds the secret %q: %s", where, form, s)
			}
			seen[form] = true
		}
	}
}

// jsonEscaped is s as encoding/json writes it inside a string, written
// out here rather than taken from the code under test.
func jsonEscaped(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "&", `\u0026`, "<", `\u003c`, ">", `\u003e`)
	return r.Replace(s)
}

// secretsOf are the credentials a client of backend is configured with.
func secretsOf(backend string) []string {
	if backend == BackendZAPI {
		return []string{testToken, testClientToken}
	}
	return []string{testAPIKey}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// firstPageOnly answers body to Z-API's page 1 and [] to every later
// page, as an API that honors the page does for a list of one page.
func firstPageOnly(body string) func(w http.ResponseWriter, r *http.Request, _ int) {
	return func(w http.ResponseWriter, r *http.Request, _ int) {
		if p := r.URL.Query().Get("page"); p != "" && p != "1" {
			writeRaw(w, http.StatusOK, "[]")
			return
		}
		writeRaw(w, http.StatusOK, body)
	}
}

func writeRaw(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// captureLogger keeps every log line the client writes.
type captureLogger struct {
	mu    sync.Mutex
	lines []string
}

func (l *captureLogger) add(level, msg string, fields map[string]any) {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(level + " " + msg)
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%v", k, fields[k])
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, b.String())
}

func (l *captureLogger) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

func (l *captureLogger) Debug(_ context.Context, msg string, fields map[string]any) {
	l.add("DEBUG", msg, fields)
}

func (l *captureLogger) Warn(_ context.Context, msg string, fields map[string]any) {
	l.add("WARN", msg, fields)
}

// roundTripFunc is an http.RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// optionsName names a subtest after the options it sets, in a form -run
// can select: "search=ana,unread,sort=name-asc,page=2,size=10,max=33".
func optionsName(o ListOptions) string {
	var parts []string
	if o.Search != "" {
		parts = append(parts, "search="+o.Search)
	}
	if o.UnreadOnly {
		parts = append(parts, "unread")
	}
	if o.SortBy != "" || o.SortOrder != "" {
		parts = append(parts, "sort="+string(o.SortBy)+"-"+string(o.SortOrder))
	}
	if o.InstanceID != "" {
		parts = append(parts, "instance="+o.InstanceID)
	}
	for _, n := range []struct {
		key string
		v   int
	}{{"page", o.Page}, {"size", o.PageSize}, {"max", o.MaxResults}} {
		if n.v != 0 {
			parts = append(parts, n.key+"="+strconv.Itoa(n.v))
		}
	}
	if len(parts) == 0 {
		return "defaults"
	}
	return strings.Join(parts, ",")
}

// apiDeadline bounds a test that reads from an API whose list never ends by
// itself (one that ignores the page, or serves fresh pages forever): with a
// paging check broken, the read then stops with an error well within the
// package's timeout instead of hanging it.
const apiDeadline = 20 * time.Second

// apiContext is the test's context, ending at apiDeadline.
func apiContext(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), apiDeadline)
	t.Cleanup(cancel)
	return ctx
}
