package client

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

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
		u := joinSegments(base, segments...)
		if got := u.EscapedPath(); got != want {
			t.Errorf("joinSegments(%q) = %s, want %s", segments, got, want)
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

// A credential that would change the URL is refused before any request,
// with an error that names it and does not repeat it.
func TestNewClient_RefusesCredentialsThatChangeTheURL(t *testing.T) {
	for _, bad := range []ZAPIConfig{
		{InstanceID: testInstanceID, Token: "../../../v1/messages/x"},
		{InstanceID: "a/b", Token: testToken},
		{InstanceID: "..", Token: testToken},
		{InstanceID: testInstanceID, Token: "tok?page=9"},
		{InstanceID: testInstanceID, Token: testToken, ClientToken: "ct\r\nX-Other: 1"},
	} {
		bad.BaseURL = "http://127.0.0.1:1"
		c, err := NewZAPI(bad, HTTPOptions{})
		if err == nil {
			t.Errorf("NewZAPI(%+v) accepted it: %s", bad, c.core.redact(c.api.(*zapi).chatsURL.String()))
			continue
		}
		for _, v := range []string{bad.InstanceID, bad.Token, bad.ClientToken} {
			if v != testInstanceID && v != testToken && v != "" && strings.Contains(err.Error(), v) {
				t.Errorf("the error repeats %q: %v", v, err)
			}
		}
		if !strings.Contains(err.Error(), "instance ID") && !strings.Contains(err.Error(), "token") {
			t.Errorf("the error names no credential: %v", err)
		}
	}
	if _, err := NewEnviaAI(EnviaAIConfig{BaseURL: "http://127.0.0.1:1", APIKey: "k\nX-Other: 1", InstanceID: "i"}, HTTPOptions{}); err == nil ||
		!strings.Contains(err.Error(), "API key") {
		t.Errorf("an API key with a line break: %v", err)
	}
}
