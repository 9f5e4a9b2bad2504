package transport

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// A credential is redacted in every form a URL gives it. The forms are
// written out here, not computed, so the test does not share the code's
// idea of them: '+', '/', '=', '&', ':' and a space each encode differently
// in a query, in a path segment and in a path.
func TestRedactorReplacesEveryEncodedForm(t *testing.T) {
	const secret = "k+/=&: x"
	h := New(API{Name: "Z-API"}, Options{}, secret)
	for _, tc := range []struct{ name, text, want string }{
		{"as written", "key " + secret + ".", "key REDACTED."},
		{"query-encoded", "key=k%2B%2F%3D%26%3A+x&page=2", "key=REDACTED&page=2"},
		{"path segment", "/token/k+%2F=&:%20x/chats", "/token/REDACTED/chats"},
		{"path", "/token/k+/=&:%20x/chats", "/token/REDACTED/chats"},
		{"JSON-escaped", `{"detail":"key k+/=\u0026: x refused"}`, `{"detail":"key REDACTED refused"}`},
		{"JSON-escaped with slashes", `{"detail":"key k+\/=\u0026: x"}`, `{"detail":"key REDACTED"}`},
		{"every form in one URL", "https://h/k+%2F=&:%20x/k+/=&:%20x?key=k%2B%2F%3D%26%3A+x", "https://h/REDACTED/REDACTED?key=REDACTED"},
	} {
		if got := h.Redact(tc.text); got != tc.want {
			t.Errorf("%s: redact(%q) = %q, want %q", tc.name, tc.text, got, tc.want)
		}
	}
	// Upper-case hex digits, on a credential whose escape has letters.
	h = New(API{Name: "Z-API"}, Options{}, "a<b>c")
	if got, want := h.Redact(`"a\u003Cb\u003Ec" and "a\u003cb\u003ec"`), `"REDACTED" and "REDACTED"`; got != want {
		t.Errorf("redact = %q, want %q", got, want)
	}
}

// Each segment is escaped on its own: a "/" or ".." inside a credential
// stays inside its segment.
func TestJoinSegments_EscapesEachSegment(t *testing.T) {
	base, _ := url.Parse("http://127.0.0.1:1/api/")
	tests := map[string][]string{
		"/api/instances/..%2F..%2F..%2Fv1%2Fmessages%2Fx/token/t/chats": {"instances", "../../../v1/messages/x", "token", "t", "chats"},
		"/api/instances/%2E%2E/token/%2E/chats":                         {"instances", "..", "token", ".", "chats"},
		"/api/instances/a%3Fb%23c/token/a%20b/chats":                    {"instances", "a?b#c", "token", "a b", "chats"},
		"/api/instances/inst-3C4D5E/token/tok.SECRET~z_9/chats":         {"instances", "inst-3C4D5E", "token", "tok.SECRET~z_9", "chats"},
	}
	for want, segments := range tests {
		u := JoinSegments(base, segments...)
		if got := u.EscapedPath(); got != want {
			t.Errorf("JoinSegments(%q) = %s, want %s", segments, got, want)
		}
		// The request keeps the path as escaped: nothing on the way resolves
		// the dots.
		var seen string
		srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { seen = r.URL.EscapedPath() }))
		srvURL, _ := url.Parse(srv.URL)
		u.Scheme, u.Host = srvURL.Scheme, srvURL.Host
		resp, err := http.Get(u.String())
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if seen != want {
			t.Errorf("the server saw %s, want %s", seen, want)
		}
	}
}

// Clip withholds the fields that name a credential whatever the API, and
// those API.Withheld names besides.
func TestAPIWithheldFields(t *testing.T) {
	const in = `{"token":"t0k3n","name":"x","id":"a"}`
	if got, want := New(API{Name: "A"}, Options{}).Clip(in, 4096), `{"token":"REDACTED","name":"x","id":"a"}`; got != want {
		t.Errorf("no API fields: got %s, want %s", got, want)
	}
	names := func(field string) bool { return field == "name" }
	if got, want := New(API{Name: "A", Withheld: names}, Options{}).Clip(in, 4096), `{"token":"REDACTED","name":"REDACTED","id":"a"}`; got != want {
		t.Errorf("the API's fields: got %s, want %s", got, want)
	}
}
