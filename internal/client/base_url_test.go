package client

import (
	"strings"
	"testing"
)

func TestCheckBaseURL(t *testing.T) {
	tests := []struct {
		url     string
		wantErr string // a word the error must hold; "" accepts the URL
	}{
		{"https://api.z-api.io", ""},
		{"https://api.z-api.io/", ""},
		{"https://api.enviaai.app:8443/base", ""},
		{"HTTPS://api.z-api.io", ""},
		{"http://localhost", ""},
		{"http://LocalHost:8080", ""},
		{"http://127.0.0.1:9999", ""},
		{"http://127.10.20.30", ""},
		{"http://[::1]:8080", ""},
		{"http://example.com", "plain http"},
		{"http://localhost.example.com", "plain http"},
		{"http://10.0.0.1:8080", "plain http"},
		{"http://[::2]", "plain http"},
		{"ftp://api.z-api.io", "https://"},
		{"ws://localhost", "https://"},
		{"https://", "no host"},
		{"api.z-api.io", "no host"},
		{"", "no host"},
		{"https://user:s3cretpass@api.z-api.io", "user name or password (https://api.z-api.io)"},
		{"http://admin:s3cretpass@localhost", "user name or password"},
		{"https://user:s3cret#pass@api.z-api.io", "not a URL (invalid port after host)"},
		{"https://user:s3cretpass@api.z-api.io/%zz", "not a URL (invalid URL escape)"},
		{"https://s3cretpass\x00@api.z-api.io", "not a URL (invalid control character in URL)"},
		{"https://api.z-api.io?token=1", "query"},
		{"https://api.z-api.io#frag", "fragment"},
		{"://missing-scheme", "not a URL"},
	}
	for _, tt := range tests {
		err := CheckBaseURL(tt.url)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("CheckBaseURL(%q) = %v, want ok", tt.url, err)
		case tt.wantErr != "" && err == nil:
			t.Errorf("CheckBaseURL(%q) accepted, want an error about %s", tt.url, tt.wantErr)
		case err != nil && !strings.Contains(err.Error(), tt.wantErr):
			t.Errorf("CheckBaseURL(%q) = %q, want it to mention %q", tt.url, err, tt.wantErr)
		case err != nil && strings.Contains(err.Error(), "s3cret"):
			t.Errorf("CheckBaseURL(%q) = %q quotes the password", tt.url, err)
		}
		if hook := CheckWebhookURL(tt.url); hook != nil && strings.Contains(hook.Error(), "s3cret") {
			t.Errorf("CheckWebhookURL(%q) = %q quotes the password", tt.url, hook)
		}
		if tt.wantErr != "" && tt.url != "" { // "" is the default URL
			if c, err := NewZAPI(ZAPIConfig{BaseURL: tt.url, InstanceID: "i", Token: "t"}, HTTPOptions{}); err == nil || c != nil {
				t.Errorf("NewZAPI(%q) accepted it", tt.url)
			}
			if c, err := NewEnviaAI(EnviaAIConfig{BaseURL: tt.url, APIKey: "k", InstanceID: "i"}, HTTPOptions{}); err == nil || c != nil {
				t.Errorf("NewEnviaAI(%q) accepted it", tt.url)
			}
		}
	}
	t.Run("defaults", func(t *testing.T) {
		z := newTestZAPI(t, "", HTTPOptions{})
		if got := chatsEndpoint(z); got != DefaultZAPIBaseURL+"/instances/"+testInstanceID+"/token/"+testToken+"/chats" {
			t.Errorf("Z-API URL %q", got)
		}
		e := newTestEnviaAI(t, "", HTTPOptions{})
		if got := chatsEndpoint(e); got != DefaultEnviaAIBaseURL+"/v1/messages/chats" {
			t.Errorf("EnviaAI URL %q", got)
		}
		if z.Backend() != BackendZAPI || e.Backend() != BackendEnviaAI {
			t.Errorf("backends %q %q", z.Backend(), e.Backend())
		}
	})
}

// chatsEndpoint is where c's backend asks for chats: its chat request's
// URL, less the query.
func chatsEndpoint(c *Client) string {
	u, _ := c.api.request(pageQuery{index: 1, size: 1})
	u.RawQuery = ""
	return u.String()
}
