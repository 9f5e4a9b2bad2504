package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Credentials with characters a URL encodes ('+', '/', '=', '&', ':'; a
// space is refused before any request) come back from the API as sent,
// path-encoded and query-encoded, in an error message, an error page and a
// value that cannot be read; no form reaches the error or a log line.
func TestEncodedCredentialsNeverLeak(t *testing.T) {
	const (
		clientToken  = "ct+k4/L3=m2&x:y"
		partnerToken = "pt+w9/Q8=z7&u:v"
		apiKey       = "ak+e6/R5=t4&p:q"
	)
	type read func(ctx context.Context, c *Client) error
	listChats := func(ctx context.Context, c *Client) error { _, err := c.ListChats(ctx, ListOptions{}); return err }
	listInstances := func(ctx context.Context, c *Client) error {
		_, err := c.ListInstances(ctx, InstanceListOptions{})
		return err
	}
	zapiMessage := func(text string) string { return `{"error":"` + text + `"}` }
	accounts := []struct {
		name, secret string
		client       func(t *testing.T, base string, opts HTTPOptions) (*Client, error)
		read         read
		message      func(text string) string
		value        func(text string) string // a 2xx answer holding text where a value of another type belongs
	}{
		{
			name: "Z-API Client-Token", secret: clientToken, read: listChats, message: zapiMessage,
			client: func(_ *testing.T, base string, opts HTTPOptions) (*Client, error) {
				return NewZAPI(ZAPIConfig{BaseURL: base, InstanceID: testInstanceID, Token: testToken, ClientToken: clientToken}, opts)
			},
			value: func(text string) string { return `[{"phone":"1","archived":"` + text + `"}]` },
		},
		{
			name: "Z-API partner token", secret: partnerToken, read: listInstances, message: zapiMessage,
			client: func(_ *testing.T, base string, opts HTTPOptions) (*Client, error) {
				return NewZAPI(ZAPIConfig{BaseURL: base, PartnerToken: partnerToken}, opts)
			},
			value: func(text string) string { return `{"total":"` + text + `","content":[]}` },
		},
		{
			name: "EnviaAI API key", secret: apiKey, read: listChats,
			client: func(_ *testing.T, base string, opts HTTPOptions) (*Client, error) {
				return NewEnviaAI(EnviaAIConfig{BaseURL: base, APIKey: apiKey, InstanceID: testInstanceID}, opts)
			},
			message: func(text string) string {
				return `{"success":false,"error":{"code":"invalid_api_key","message":"` + text + `"}}`
			},
			value: func(text string) string { return `{"success":true,"data":[{"chatId":"a","isGroup":"` + text + `"}]}` },
		},
	}
	for _, acct := range accounts {
		forms := []struct{ name, text string }{
			{"as sent", acct.secret},
			{"path-encoded", url.PathEscape(acct.secret)},
			{"query-encoded", url.QueryEscape(acct.secret)},
			{"JSON-escaped", jsonEscaped(acct.secret)},
			{"JSON-escaped with slashes", strings.ReplaceAll(jsonEscaped(acct.secret), "/", `\/`)},
		}
		if forms[1].text == acct.secret || forms[2].text == acct.secret {
			t.Fatalf("%s: %q must change when encoded, or the encoded forms go untested", acct.name, acct.secret)
		}
		answers := []struct {
			name   string
			status int
			body   func(text string) string
		}{
			{"error message", http.StatusUnauthorized, acct.message},
			{"error page", http.StatusForbidden, func(text string) string { return "<html>refused " + text + "</html>" }},
			{"value that cannot be read", http.StatusOK, acct.value},
		}
		for _, form := range forms {
			for _, answer := range answers {
				t.Run(acct.name+"/"+form.name+"/"+answer.name, func(t *testing.T) {
					srv, _ := rawServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
						writeRaw(w, answer.status, answer.body(form.text))
					})
					log := &captureLogger{}
					opts := testOptions()
					opts.Logger = log
					c, err := acct.client(t, srv.URL, opts)
					if err != nil {
						t.Fatalf("the credential %q is refused: %v", acct.secret, err)
					}
					err = acct.read(apiContext(t), c)
					if err == nil {
						t.Fatal("got no error")
					}
					assertNoSecretOf(t, "error", err.Error(), acct.secret)
					assertNoSecretOf(t, "error (%+v)", fmt.Sprintf("%+v", err), acct.secret)
					for e := errors.Unwrap(err); e != nil; e = errors.Unwrap(e) {
						assertNoSecretOf(t, "wrapped error", e.Error(), acct.secret)
					}
					for _, line := range log.all() {
						assertNoSecretOf(t, "log line", line, acct.secret)
					}
					if !strings.Contains(err.Error(), "REDACTED") {
						t.Errorf("the error quotes nothing of the answer: %v", err)
					}
				})
			}
		}
	}
}
