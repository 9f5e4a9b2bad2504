package client

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// testPartnerToken is the partner account's token: the credential of every
// instance of the account.
const testPartnerToken = "ptSECRETw9Q8z7"

func newTestPartner(t testing.TB, base string, opts HTTPOptions) *Client {
	t.Helper()
	c, err := NewZAPI(ZAPIConfig{BaseURL: base, ClientToken: testClientToken, PartnerToken: testPartnerToken}, opts)
	if err != nil {
		t.Fatalf("NewZAPI: %v", err)
	}
	return c
}

// Whatever the partner listing's API, or a proxy before it, sends back of
// the partner token (an error message, a body that is no answer, a value
// that cannot be read, a transport error) is redacted from the error and
// every log line, as the instance token, Client-Token and API key are.
func TestPartnerTokenNeverLeaks(t *testing.T) {
	// Each answer quotes the Authorization header it was sent, so what it
	// sends back is what the client sent.
	for _, tc := range []struct {
		name   string
		answer func(w http.ResponseWriter, auth string, n int)
		proxy  bool // a proxy fails the request with an error quoting the header
	}{
		{name: "error message", answer: func(w http.ResponseWriter, auth string, _ int) {
			writeRaw(w, http.StatusUnauthorized, `{"error":"`+auth+` is not allowed"}`)
		}},
		{name: "error page with no message", answer: func(w http.ResponseWriter, auth string, _ int) {
			writeRaw(w, http.StatusForbidden, `<html>Authorization: `+auth+`</html>`)
		}},
		{name: "retried, then an error message", answer: func(w http.ResponseWriter, auth string, n int) {
			if n <= 2 {
				writeRaw(w, http.StatusServiceUnavailable, `<html>busy: `+auth+`</html>`)
				return
			}
			writeRaw(w, http.StatusBadRequest, `{"message":"`+auth+` expired"}`)
		}},
		{name: "error with a 2xx status", answer: func(w http.ResponseWriter, auth string, _ int) {
			writeRaw(w, http.StatusOK, `{"error":"the token `+auth+` has no instances"}`)
		}},
		{name: "total that cannot be read", answer: func(w http.ResponseWriter, auth string, _ int) {
			writeRaw(w, http.StatusOK, `{"total":"`+auth+`","content":[]}`)
		}},
		{name: "instance id that cannot be read", answer: func(w http.ResponseWriter, auth string, _ int) {
			writeRaw(w, http.StatusOK, `{"total":1,"content":[{"id":["`+auth+`"]}]}`)
		}},
		{name: "body cut short", answer: func(w http.ResponseWriter, auth string, _ int) {
			writeRaw(w, http.StatusOK, `{"total":1,"content":[{"id":"a","name":"`+auth)
		}},
		{name: "proxy error", proxy: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var sent atomic.Int64
			srv, _ := rawServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
				auth := r.Header.Get("Authorization")
				if auth == "Bearer "+testPartnerToken {
					sent.Add(1)
				}
				tc.answer(w, auth, n)
			})
			log := &captureLogger{}
			opts := testOptions()
			opts.Logger = log
			if tc.proxy {
				opts.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
					sent.Add(1)
					return nil, fmt.Errorf("proxyconnect tcp: the proxy refused %s", r.Header.Get("Authorization"))
				})
			}
			_, err := newTestPartner(t, srv.URL, opts).ListInstances(apiContext(t), InstanceListOptions{})
			if err == nil {
				t.Fatal("got no error")
			}
			if sent.Load() == 0 {
				t.Fatal("no request carried the partner token")
			}
			texts := map[string]string{"error": err.Error(), "error (%+v)": fmt.Sprintf("%+v", err)}
			for e, i := errors.Unwrap(err), 1; e != nil; e, i = errors.Unwrap(e), i+1 {
				texts[fmt.Sprintf("wrapped error %d", i)] = e.Error()
			}
			for i, line := range log.all() {
				texts[fmt.Sprintf("log line %d", i+1)] = line
			}
			for where, s := range texts {
				assertNoSecretOf(t, where, s, testPartnerToken)
			}
			// The answer was quoted, with the token replaced, not left out.
			if !strings.Contains(err.Error(), "REDACTED") {
				t.Errorf("the error quotes nothing of the answer: %v", err)
			}
		})
	}
}
