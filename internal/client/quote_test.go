package client

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client/transport"
)

// assertNoFragment fails when s holds any run of 5 or more characters of
// secret: a quote cut through a credential must not leave part of it.
func assertNoFragment(t testing.TB, where, s, secret string) {
	t.Helper()
	for n := 5; n <= len(secret); n++ {
		for i := 0; i+n <= len(secret); i++ {
			if strings.Contains(s, secret[i:i+n]) {
				t.Fatalf("%s holds %q, %d characters of a credential: %s", where, secret[i:i+n], n, s)
			}
		}
	}
}

// decodeBody decodes one 200 answer as backend would.
func decodeBody(t *testing.T, c *Client, body string) error {
	t.Helper()
	_, err := c.api.decode(c.core, &transport.Answer{Status: http.StatusOK, Body: []byte(body)})
	return err
}

// A value that holds a credential is quoted cut short; the credential is
// replaced before the cut, wherever in the value it sits.
func TestQuotedValueNeverHoldsPartOfACredential(t *testing.T) {
	zapi := newTestZAPI(t, "http://127.0.0.1:1", HTTPOptions{})
	envia := newTestEnviaAI(t, "http://127.0.0.1:1", HTTPOptions{})
	type target struct {
		client *Client
		secret string
		body   func(field, value string) string
	}
	zapiBody := func(field, value string) string { return `[{"phone":"5511","` + field + `":` + value + `}]` }
	enviaBody := func(field, value string) string {
		return `{"success":true,"data":[{"chatId":"5511","` + field + `":` + value + `}]}`
	}
	targets := map[string]target{
		"Z-API token":        {zapi, testToken, zapiBody},
		"Z-API client token": {zapi, testClientToken, zapiBody},
		"EnviaAI API key":    {envia, testAPIKey, enviaBody},
	}
	fields := map[string]string{BackendZAPI: "isGroup", BackendEnviaAI: "isGroup"}
	timeFields := map[string]string{BackendZAPI: "lastMessageTime", BackendEnviaAI: "lastMessageAt"}
	for name, tg := range targets {
		for _, field := range []string{fields[tg.client.Backend()], timeFields[tg.client.Backend()]} {
			for offset := 0; offset <= valueRunes+len(tg.secret)+2; offset++ {
				value := `"` + strings.Repeat("x", offset) + tg.secret + `yyyy"`
				err := decodeBody(t, tg.client, tg.body(field, value))
				if err == nil {
					t.Fatalf("%s in %s at %d: decoded", name, field, offset)
				}
				assertNoFragment(t, fmt.Sprintf("%s in %s at offset %d", name, field, offset), err.Error(), tg.secret)
			}
		}
	}
}

// An API's error text is quoted cut to transport.MaxQuotedRunes, the credential
// replaced before the cut.
func TestQuotedErrorTextNeverHoldsPartOfACredential(t *testing.T) {
	zapi := newTestZAPI(t, "http://127.0.0.1:1", HTTPOptions{})
	envia := newTestEnviaAI(t, "http://127.0.0.1:1", HTTPOptions{})
	for offset := transport.MaxQuotedRunes - len(testAPIKey) - 2; offset <= transport.MaxQuotedRunes+2; offset++ {
		text := strings.Repeat("e", offset)
		body := map[string]string{
			"Z-API":          `{"error":"` + text + testToken + ` tail"}`,
			"EnviaAI code":   `{"success":false,"error":{"code":"` + text + testAPIKey + ` tail","message":"m"}}`,
			"EnviaAI error":  `{"success":false,"error":{"code":"c","message":"` + text + testAPIKey + ` tail"}}`,
			"EnviaAI top":    `{"success":false,"message":"` + text + testAPIKey + ` tail"}`,
			"Z-API on a 200": `{"message":"` + text + testClientToken + ` tail"}`,
		}
		for name, b := range body {
			c, secret := envia, testAPIKey
			if strings.HasPrefix(name, "Z-API") {
				c, secret = zapi, testToken
				if strings.Contains(name, "200") {
					secret = testClientToken
				}
			}
			err := c.api.apiError(c.core, &transport.Answer{Status: http.StatusBadRequest, Body: []byte(b)})
			assertNoFragment(t, fmt.Sprintf("%s at offset %d", name, offset), err.Error(), secret)
		}
	}
}

// escapeCodes are what a hostile API could send to clear a terminal and
// print a forged line.
const escapeCodes = "\x1b[2J\x1b[H\rError: all good, ignore\u202e\x07"

func TestAPITextIsQuotedWithControlCharactersEscaped(t *testing.T) {
	jsonText, _ := json.Marshal(escapeCodes)
	tests := map[string]struct {
		backend string
		status  int
		body    string
	}{
		"EnviaAI error.code":    {BackendEnviaAI, 400, `{"success":false,"error":{"code":` + string(jsonText) + `,"message":"m"}}`},
		"EnviaAI error.message": {BackendEnviaAI, 400, `{"success":false,"error":{"code":"c","message":` + string(jsonText) + `}}`},
		"EnviaAI message":       {BackendEnviaAI, 400, `{"success":false,"message":` + string(jsonText) + `}`},
		"EnviaAI value":         {BackendEnviaAI, 200, `{"success":true,"data":[{"chatId":"1","isGroup":"` + "\u202e" + `x"}]}`},
		"EnviaAI body":          {BackendEnviaAI, 502, "<html>" + escapeCodes + "</html>"},
		"Z-API error":           {BackendZAPI, 400, `{"error":` + string(jsonText) + `}`},
		"Z-API value":           {BackendZAPI, 200, `[{"phone":"1","unread":"` + "\u202e" + `x"}]`},
		"Z-API body":            {BackendZAPI, 500, "<html>" + escapeCodes + "</html>"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			srv, _ := rawServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			})
			opts := testOptions()
			opts.MaxRetries = 0
			c := newTestZAPI(t, srv.URL, opts)
			if tt.backend == BackendEnviaAI {
				c = newTestEnviaAI(t, srv.URL, opts)
			}
			_, err := c.ListChats(t.Context(), ListOptions{})
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			for _, r := range msg {
				if r < ' ' || r == 0x7f || r == '\u202e' {
					t.Fatalf("the error holds %U unescaped: %q", r, msg)
				}
			}
			if !strings.Contains(msg, `\u202e`) {
				t.Errorf("the error does not show the escaped text: %s", msg)
			}
		})
	}
}

// A huge error string becomes a short message on both backends.
func TestHugeAPITextIsCut(t *testing.T) {
	huge := strings.Repeat("A", 3<<20)
	for _, tt := range []struct{ backend, body string }{
		{BackendZAPI, `{"error":"` + huge + `"}`},
		{BackendEnviaAI, `{"success":false,"error":{"code":"` + huge + `","message":"` + huge + `"}}`},
		{BackendZAPI, `[{"phone":"1","isGroup":"` + huge + `"}]`},
		{BackendEnviaAI, `{"success":true,"data":[{"chatId":"1","isGroup":"` + huge + `"}]}`},
	} {
		srv, _ := rawServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
			if strings.HasPrefix(tt.body, `{"error"`) || strings.Contains(tt.body, `"success":false`) {
				w.WriteHeader(http.StatusBadRequest)
			}
			_, _ = w.Write([]byte(tt.body))
		})
		opts := testOptions()
		opts.MaxRetries = 0
		c := newTestZAPI(t, srv.URL, opts)
		if tt.backend == BackendEnviaAI {
			c = newTestEnviaAI(t, srv.URL, opts)
		}
		_, err := c.ListChats(t.Context(), ListOptions{PageSize: 100})
		srv.Close()
		if err == nil {
			t.Fatalf("%s: no error", tt.backend)
		}
		if n := utf8.RuneCountInString(err.Error()); n > 2*transport.MaxQuotedRunes+200 {
			t.Errorf("%s: an error of %d characters, want the API's text cut to %d", tt.backend, n, transport.MaxQuotedRunes)
		}
		if !strings.Contains(err.Error(), "…") {
			t.Errorf("%s: the error does not mark the cut: %.200s", tt.backend, err)
		}
	}
}
