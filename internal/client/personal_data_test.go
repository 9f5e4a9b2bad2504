package client

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// A customer's name, phone and message text never reach an error: neither
// in the excerpt of an answer that cannot be read, nor as a value that
// cannot be read. The decoded chats keep them.
func TestErrorsQuoteNoCustomerData(t *testing.T) {
	const name, phone, text = "Ana Beatriz Souza", "5511987654321", "meu pedido não chegou"
	for _, tc := range []struct {
		name, backend, body string
	}{
		{"Z-API excerpt", BackendZAPI, `[{"phone":"` + phone + `","name":"` + name + `","unread":"2"},{"phone":"55`},
		{"Z-API bad name", BackendZAPI, `[{"phone":"1","name":{"first":"` + name + `"}}]`},
		{"EnviaAI excerpt", BackendEnviaAI, `{"success":true,"data":[{"chatId":"c","phone":"` + phone + `","contactName":"` + name +
			`","lastMessage":{"content":"` + text + `"}},{"chatId":"d`},
		{"EnviaAI bad message text", BackendEnviaAI, `{"success":true,"data":[{"chatId":"c","lastMessage":{"content":["` + text +
			`"]}}],"pagination":{"total":1,"hasMore":false}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := rawServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { writeRaw(w, http.StatusOK, tc.body) })
			log := &captureLogger{}
			opts := testOptions()
			opts.Logger = log
			var c *Client
			var err error
			if tc.backend == BackendZAPI {
				c, err = NewZAPI(ZAPIConfig{BaseURL: srv.URL, InstanceID: testInstanceID, Token: testToken}, opts)
			} else {
				c, err = NewEnviaAI(EnviaAIConfig{BaseURL: srv.URL, APIKey: testAPIKey, InstanceID: testInstanceID}, opts)
			}
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(apiContext(t))
			defer cancel()
			_, err = c.ListChats(ctx, ListOptions{Page: 1, PageSize: 1})
			if err == nil {
				t.Fatal("got no error")
			}
			texts := append([]string{err.Error()}, log.all()...)
			for _, s := range texts {
				for _, private := range []string{name, phone, text, "Ana", "pedido"} {
					if strings.Contains(s, private) {
						t.Errorf("%q quotes the customer data %q", s, private)
					}
				}
			}
		})
	}
}
