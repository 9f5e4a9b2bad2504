package client

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client/transport"
)

func TestExcerptNeverHoldsPartOfASecret(t *testing.T) {
	c := newTestZAPI(t, "http://127.0.0.1:1", HTTPOptions{})
	// Whitespace collapses in the excerpt, which brings a secret near the
	// cut within the excerpt's reach.
	for offset := 4*transport.ExcerptRunes - len(testToken) - 2; offset <= 4*transport.ExcerptRunes+2; offset++ {
		body := "<p>" + strings.Repeat(" ", offset-3) + testToken + " tail</p>"
		got := c.core.Excerpt([]byte(body))
		for n := 6; n <= len(testToken); n++ {
			if strings.Contains(got, testToken[:n]) {
				t.Fatalf("offset %d: excerpt %q holds %d characters of the token", offset, got, n)
			}
		}
	}
}

func TestSecretsNeverLeak(t *testing.T) {
	echo := "<html>GET /instances/" + testInstanceID + "/token/" + testToken + "/chats failed; Client-Token: " + testClientToken +
		"; Authorization: Bearer " + testAPIKey + "</html>"
	type scenario struct {
		name    string
		opts    func(*HTTPOptions)
		handler func(w http.ResponseWriter, r *http.Request, n int)
		refused bool
		wantErr bool
	}
	scenarios := []scenario{
		{name: "success", handler: func(w http.ResponseWriter, r *http.Request, n int) {
			if strings.HasPrefix(r.URL.Path, "/v1/") {
				writeRaw(w, 200, `{"success":true,"data":[{"chatId":"a","phone":"1"}],"pagination":{"total":1,"hasMore":false}}`)
				return
			}
			writeRaw(w, 200, `[{"phone":"1"}]`)
		}},
		{name: "retry then success", handler: func(w http.ResponseWriter, r *http.Request, n int) {
			if n <= 2 {
				writeRaw(w, 503, echo)
				return
			}
			if strings.HasPrefix(r.URL.Path, "/v1/") {
				writeRaw(w, 200, `{"success":true,"data":[],"pagination":{"total":0,"hasMore":false}}`)
				return
			}
			writeRaw(w, 200, `[]`)
		}},
		{name: "retries exhausted", wantErr: true, handler: func(w http.ResponseWriter, r *http.Request, n int) { writeRaw(w, 502, echo) }},
		{name: "API error quoting the secrets", wantErr: true, handler: func(w http.ResponseWriter, r *http.Request, n int) {
			writeJSON(w, 401, map[string]any{"success": false, "error": map[string]any{
				"code":    "invalid_api_key " + testAPIKey,
				"message": "token " + testToken + " / " + testClientToken + " / key " + testAPIKey + " refused",
			}})
		}},
		{name: "Z-API error text quoting the secrets", wantErr: true, handler: func(w http.ResponseWriter, r *http.Request, n int) {
			writeJSON(w, 400, map[string]any{"error": "token " + testToken + " and Client-Token " + testClientToken + " and " + testAPIKey})
		}},
		{name: "decode failure echoing the request", wantErr: true, handler: func(w http.ResponseWriter, r *http.Request, n int) { writeRaw(w, 200, echo) }},
		{name: "field holding a secret", wantErr: true, handler: func(w http.ResponseWriter, r *http.Request, n int) {
			writeRaw(w, 200, `{"success":true,"data":[{"chatId":"a","isGroup":"`+testAPIKey+`"}]}`)
		}},
		{name: "Z-API field holding a secret", wantErr: true, handler: func(w http.ResponseWriter, r *http.Request, n int) {
			writeRaw(w, 200, `[{"phone":"1","archived":"`+testToken+`"}]`)
		}},
		{name: "timeout", wantErr: true, opts: func(o *HTTPOptions) { o.RequestTimeout = 30 * time.Millisecond; o.MaxRetries = 1 },
			handler: func(w http.ResponseWriter, r *http.Request, n int) { <-r.Context().Done() }},
		{name: "connection refused", wantErr: true, refused: true},
		{name: "connection reset", wantErr: true, handler: func(w http.ResponseWriter, r *http.Request, n int) { resetConnection(t, w) }},
	}
	for _, sc := range scenarios {
		for _, backend := range []string{BackendZAPI, BackendEnviaAI} {
			t.Run(sc.name+"/"+backend, func(t *testing.T) {
				base := "http://" + closedAddr(t)
				if !sc.refused {
					srv, _ := connServer(t, sc.handler)
					base = srv.URL
				}
				log := &captureLogger{}
				opts := testOptions()
				opts.Logger = log
				if sc.opts != nil {
					sc.opts(&opts)
				}
				c := newTestZAPI(t, base, opts)
				if backend == BackendEnviaAI {
					c = newTestEnviaAI(t, base, opts)
				}
				_, err := listWithin(t.Context(), t, 20*time.Second, c, ListOptions{})
				own := secretsOf(backend)
				if _, errFind := c.FindChat(t.Context(), "+55 11 0000-0000", ""); errFind != nil {
					assertNoSecretOf(t, "FindChat error", errFind.Error(), own...)
				}
				if sc.wantErr && err == nil {
					t.Fatal("want an error")
				}
				if err != nil {
					assertNoSecretOf(t, "error", err.Error(), own...)
					assertNoSecretOf(t, "error (%+v)", fmt.Sprintf("%+v", err), own...)
					for e := err; e != nil; e = errors.Unwrap(e) {
						assertNoSecretOf(t, "wrapped error", e.Error(), own...)
					}
				}
				lines := log.all()
				if len(lines) == 0 {
					t.Fatal("nothing was logged")
				}
				for _, line := range lines {
					assertNoSecretOf(t, "log line", line, own...)
				}
				if backend == BackendZAPI && !strings.Contains(strings.Join(lines, "\n"), "/token/REDACTED/chats") {
					t.Errorf("the request log should show the redacted URL:\n%s", strings.Join(lines, "\n"))
				}
			})
		}
	}
}
