package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

// factories serve the provider in-process to the Terraform CLI, with short
// retry waits so retry tests stay quick.
func factories() map[string]func() (tfprotov6.ProviderServer, error) {
	p := &whatsappProvider{version: "test", httpOptions: &client.HTTPOptions{
		MaxRetries:   client.DefaultMaxRetries,
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 10 * time.Millisecond,
	}}
	return map[string]func() (tfprotov6.ProviderServer, error){
		"whatsapp": func() (tfprotov6.ProviderServer, error) { return newServer(p), nil },
	}
}

// fakeAPI is a fake Z-API or EnviaAI that records every request.
type fakeAPI struct {
	*httptest.Server
	mu       sync.Mutex
	requests []*http.Request
}

func (f *fakeAPI) record(r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, r.Clone(r.Context()))
}

// queries are the query strings received, in order.
func (f *fakeAPI) queries() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]url.Values, len(f.requests))
	for i, r := range f.requests {
		out[i] = r.URL.Query()
	}
	return out
}

func newFake(t *testing.T, handler http.HandlerFunc) *fakeAPI {
	t.Helper()
	f := &fakeAPI{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.record(r)
		handler(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

// newFakeZAPI serves chats (raw JSON objects) in pages, as Z-API does.
func newFakeZAPI(t *testing.T, chats ...string) *fakeAPI {
	return newFake(t, func(w http.ResponseWriter, r *http.Request) {
		pageNum, _ := strconv.Atoi(r.URL.Query().Get("page"))
		size, _ := strconv.Atoi(r.URL.Query().Get("pageSize"))
		if pageNum < 1 || size < 1 {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"error":"page and pageSize are required"}`)
			return
		}
		lo, hi := min((pageNum-1)*size, len(chats)), min(pageNum*size, len(chats))
		fmt.Fprint(w, "["+strings.Join(chats[lo:hi], ",")+"]")
	})
}

// newFakeEnviaAI serves chats by offset and limit with EnviaAI's envelope.
// It applies no filter: tests assert the query the provider sends.
func newFakeEnviaAI(t *testing.T, chats ...string) *fakeAPI {
	return newFake(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer demo-api-key" {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"success":false,"error":{"code":"invalid_api_key","message":"Invalid API key"}}`)
			return
		}
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		lo, hi := min(offset, len(chats)), min(offset+limit, len(chats))
		fmt.Fprintf(w, `{"success":true,"data":[%s],"pagination":{"total":%d,"limit":%d,"offset":%d,"hasMore":%t}}`,
			strings.Join(chats[lo:hi], ","), len(chats), limit, offset, hi < len(chats))
	})
}

// zapiProvider is a provider block for a fake Z-API or the emulator, with
// the emulator's default credentials.
func zapiProvider(baseURL string) string {
	return fmt.Sprintf(`
provider "whatsapp" {
  zapi = {
    instance_id  = "demo-instance"
    token        = "demo-token"
    client_token = "demo-client-token"
    base_url     = %q
  }
}
`, baseURL)
}

// enviaAIProvider is a provider block for a fake EnviaAI or the emulator,
// with the emulator's default credentials.
func enviaAIProvider(baseURL string) string {
	return fmt.Sprintf(`
provider "whatsapp" {
  enviaai = {
    api_key     = "demo-api-key"
    instance_id = "inst_demo"
    base_url    = %q
  }
}
`, baseURL)
}

// zapiChat is a Z-API chat in the wire form the reference shows.
func zapiChat(phone, name string, unread int, lastMessage int64) string {
	return fmt.Sprintf(`{"archived":"false","pinned":"false","phone":%q,"unread":"%d","name":%q,"lastMessageTime":"%d","isMuted":"0","isMarkedSpam":"false","isGroup":false}`,
		phone, unread, name, lastMessage)
}

// enviaChat is an EnviaAI chat in the wire form the reference shows.
func enviaChat(id, phone, name string, unread int) string {
	return fmt.Sprintf(`{"chatId":%q,"phone":%q,"contactName":%q,"lastMessage":{"messageId":"m-%s","content":"hi","timestamp":"2026-02-03T12:30:00.000Z","isFromMe":false,"type":"text"},"unreadCount":%d,"isGroup":false,"createdAt":"2026-01-15T10:00:00.000Z"}`,
		id, phone, name, id, unread)
}

// expect builds state checks on one data source.
type expect string

func (e expect) value(p tfjsonpath.Path, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(string(e), p, v)
}

func (e expect) attr(name string, v knownvalue.Check) statecheck.StateCheck {
	return e.value(tfjsonpath.New(name), v)
}

func (e expect) chat(i int, name string, v knownvalue.Check) statecheck.StateCheck {
	return e.value(tfjsonpath.New("chats").AtSliceIndex(i).AtMapKey(name), v)
}

// names checks the chats' names, in order.
func (e expect) names(names ...string) statecheck.StateCheck {
	checks := make([]knownvalue.Check, len(names))
	for i, n := range names {
		checks[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact(n)})
	}
	return e.attr("chats", knownvalue.ListExact(checks))
}
