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
	h := New("Z-API", Options{}, nil, secret)
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
	h = New("Z-API", Options{}, nil, "a<b>c")
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

func TestWithoutSecretFields(t *testing.T) {
	for in, want := range map[string]string{
		`{"id":"a","token":"t0k3n","name":"x"}`:          `{"id":"a","token":"REDACTED","name":"REDACTED"}`,
		`{"Token" : "t0k\"3n", "qrCode":"data:image/png`: `{"Token" : "REDACTED", "qrCode":"REDACTED"`,
		`{"apiKey":{"v":"k3y"},"password":12345}`:        `{"apiKey":"REDACTED","password":"REDACTED"}`,
		`{"items":[{"token":"t1"},{"token":"t2"}]}`:      `{"items":[{"token":"REDACTED"},{"token":"REDACTED"}]}`,
		`{"message":"token"}`:                            `{"message":"token"}`,
		`<html>"token": abc</html>`:                      `<html>"token": "REDACTED"`,
		`{"tokens":["t1","t2"],"keys":"kept"}`:           `{"tokens":"REDACTED","keys":"kept"}`,
		`{"Client-Token":"c1","client_token":"c2"}`:      `{"Client-Token":"REDACTED","client_token":"REDACTED"}`,
		`{"a":{"b":[{"SIGNING_SECRET":{"x":[1,2]}}]}}`:   `{"a":{"b":[{"SIGNING_SECRET":"REDACTED"}]}}`,
		`{"error":{"code":"invalid_api_key","x":"k"}}`:   `{"error":{"code":"invalid_api_key","x":"k"}}`,
		`{"message":"{\"qr_code\":\"a,b\"}","n":1}`:      `{"message":"{\"qr_code\":"REDACTED"}","n":1}`,
	} {
		if got := withoutSecretFields(in); got != want {
			t.Errorf("withoutSecretFields(%s)\n got %s\nwant %s", in, got, want)
		}
	}
}
