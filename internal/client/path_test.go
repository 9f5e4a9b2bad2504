package client

import (
	"strings"
	"testing"
)

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
			t.Errorf("NewZAPI(%+v) accepted it: %s", bad, c.core.Redact(chatsEndpoint(c)))
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
