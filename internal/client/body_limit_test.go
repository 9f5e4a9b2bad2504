package client

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client/transport"
)

func TestBodyOverTheCap(t *testing.T) {
	for _, b := range backends(t, makeChats(100)) {
		t.Run(b.name, func(t *testing.T) {
			opts := testOptions()
			opts.MaxBodyBytes = 1024
			_, err := b.api.client(t, opts).ListChats(t.Context(), ListOptions{})
			de := assertAs[*DecodeError](t, err)
			if !errors.Is(err, transport.ErrBodyTooLarge) || !strings.Contains(err.Error(), "1024") || de.StatusCode != http.StatusOK {
				t.Errorf("got %v (status %d)", err, de.StatusCode)
			}
			if b.api.count() != 1 {
				t.Errorf("%d requests, want 1", b.api.count())
			}
		})
	}
	t.Run("error answer over the cap keeps its status", func(t *testing.T) {
		srv, _ := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
			writeRaw(w, http.StatusForbidden, "<html>"+strings.Repeat("denied ", 1000)+"</html>")
		})
		opts := testOptions()
		opts.MaxBodyBytes = 1024
		_, err := newTestZAPI(t, srv.URL, opts).ListChats(t.Context(), ListOptions{})
		de := assertAs[*DecodeError](t, err)
		if de.StatusCode != http.StatusForbidden || !strings.Contains(err.Error(), "403") {
			t.Errorf("status %d in %q, want 403", de.StatusCode, err)
		}
	})
	t.Run("exactly at the cap", func(t *testing.T) {
		body := `[{"phone":"1"}]`
		srv, _ := rawServer(t, firstPageOnly(body))
		opts := testOptions()
		opts.MaxBodyBytes = int64(len(body))
		if _, err := newTestZAPI(t, srv.URL, opts).ListChats(t.Context(), ListOptions{}); err != nil {
			t.Errorf("a body of exactly MaxBodyBytes was refused: %v", err)
		}
	})
}

func TestBrokenBodies(t *testing.T) {
	tests := []struct {
		name    string
		backend string
		body    string
		excerpt string // the excerpt starts with this
	}{
		{"HTML error page", BackendZAPI, "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><center>nginx</center></body></html>", "<!DOCTYPE html> <html><head><title>502 Bad Gateway"},
		{"HTML error page", BackendEnviaAI, "<html><body>Service Unavailable</body></html>", "<html><body>Service Unavailable"},
		{"truncated JSON", BackendZAPI, `[{"phone":"5511999999999","name":"Ana"},{"phone":"55119`, `[{"phone":"REDACTED","name":"REDACTED"},{"phone":"REDACTED"`},
		{"truncated JSON", BackendEnviaAI, `{"success":true,"data":[{"chatId":"a"`, `{"success":true,"data":[{"chatId":"a"`},
		{"empty body", BackendZAPI, "", "(empty body)"},
		{"empty body", BackendEnviaAI, "  \n ", "(empty body)"},
		{"null", BackendZAPI, "null", "null"},
		{"null", BackendEnviaAI, "null", "null"},
		{"null list", BackendEnviaAI, `{"success":true,"data":null}`, `{"success":true,"data":null}`},
		{"missing list", BackendEnviaAI, `{"success":true}`, `{"success":true}`},
		{"object where a list belongs", BackendZAPI, `{"chats":[{"phone":"1"}]}`, `{"chats":`},
		{"object where a list belongs", BackendEnviaAI, `{"success":true,"data":{"chatId":"a"}}`, `{"success":true,"data":{"chatId"`},
		{"list where an object belongs", BackendEnviaAI, `[{"chatId":"a"}]`, `[{"chatId":"a"}]`},
		{"a string", BackendZAPI, `"ok"`, `"ok"`},
		{"a number in the list", BackendZAPI, `[{"phone":"1"},5]`, `[{"phone":"REDACTED"},5]`},
		{"long garbage", BackendZAPI, strings.Repeat("garbage ", 500), "garbage garbage"},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+tt.backend, func(t *testing.T) {
			srv, rec := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				writeRaw(w, http.StatusOK, tt.body)
			})
			c := newTestZAPI(t, srv.URL, testOptions())
			if tt.backend == BackendEnviaAI {
				c = newTestEnviaAI(t, srv.URL, testOptions())
			}
			list, err := c.ListChats(t.Context(), ListOptions{})
			de := assertAs[*DecodeError](t, err)
			if list != nil {
				t.Errorf("a list came with the error")
			}
			if de.Backend != tt.backend || de.StatusCode != http.StatusOK {
				t.Errorf("backend %q status %d", de.Backend, de.StatusCode)
			}
			if !strings.HasPrefix(de.Excerpt, tt.excerpt) {
				t.Errorf("excerpt %q should start with %q", de.Excerpt, tt.excerpt)
			}
			if n := utf8.RuneCountInString(de.Excerpt); n > transport.ExcerptRunes+1 {
				t.Errorf("excerpt of %d runes, want at most %d", n, transport.ExcerptRunes+1)
			}
			if !strings.Contains(err.Error(), strconv.Quote(de.Excerpt)) || !strings.Contains(err.Error(), tt.backend) || !strings.Contains(err.Error(), "200") {
				t.Errorf("error %q should name the backend, the status and the excerpt", err)
			}
			if KindOf(err) != KindUnexpectedBody {
				t.Errorf("kind %d, want KindUnexpectedBody", KindOf(err))
			}
			if rec.count() != 1 {
				t.Errorf("%d requests, want 1 (a broken 200 is not retried)", rec.count())
			}
		})
	}
}
