package client

import (
	"net/http"
	"strings"
	"testing"
)

func TestRedirectsDoNotCarrySecretsAway(t *testing.T) {
	// The target is "localhost" while the API is "127.0.0.1": another host.
	target, seen := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if strings.HasPrefix(r.URL.Path, "/v1/") {
			writeRaw(w, 200, `{"success":true,"data":[],"pagination":{"total":0,"hasMore":false}}`)
			return
		}
		writeRaw(w, 200, `[]`)
	})
	targetURL := strings.Replace(target.URL, "127.0.0.1", "localhost", 1)
	api, _ := rawServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		http.Redirect(w, r, targetURL+"/elsewhere"+r.URL.Path[strings.LastIndex(r.URL.Path, "/"):], http.StatusFound)
	})
	for _, c := range []*Client{newTestZAPI(t, api.URL, testOptions()), newTestEnviaAI(t, api.URL, testOptions())} {
		_, err := c.ListChats(t.Context(), ListOptions{})
		if err == nil {
			t.Fatalf("%s: a redirect was followed", c.Backend())
		}
		assertNoSecret(t, "error", err.Error())
		if kind := KindOf(err); kind != KindRedirect {
			t.Errorf("%s: kind %d, want KindRedirect", c.Backend(), kind)
		}
	}
	for _, r := range seen.all() {
		for k, v := range r.Header {
			assertNoSecret(t, "header "+k+" sent to another host", strings.Join(v, ","))
		}
		assertNoSecret(t, "path sent to another host", r.Path)
	}
}
