package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
)

// factories serve the provider in-process to the Terraform CLI, with short
// retry waits so retry tests stay quick. The provider reads the backend
// variables from the process environment.
func factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return inProcess(testProvider())
}

// factoriesWithEnv are factories whose provider reads the backend variables
// from env alone, not from the process environment: a variable env lacks is
// unset, and nil is an environment with none. A test that sets them this
// way can run in parallel.
func factoriesWithEnv(env map[string]string) map[string]func() (tfprotov6.ProviderServer, error) {
	p := testProvider()
	p.getenv = envOf(env)
	return inProcess(p)
}

// envOf is an environment holding env's variables and no other.
func envOf(env map[string]string) func(string) string {
	return func(name string) string { return env[name] }
}

// testProvider is the provider with short retry waits.
func testProvider() *whatsappProvider {
	return &whatsappProvider{version: "test", httpOptions: &client.HTTPOptions{
		MaxRetries:   client.DefaultMaxRetries,
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 10 * time.Millisecond,
	}}
}

// inProcess serves p in-process to the Terraform CLI.
func inProcess(p *whatsappProvider) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"whatsapp": func() (tfprotov6.ProviderServer, error) { return newServer(p), nil },
	}
}

// fakeAPI is the emulator serving a provider test.
type fakeAPI struct{ *emulatortest.Server }

// queries are the query strings received, in order.
func (f *fakeAPI) queries() []url.Values {
	var out []url.Values
	for _, r := range f.Received() {
		out = append(out, r.URL.Query())
	}
	return out
}

// newFake is the emulator answering every request with handler's exact
// answer, through its hook.
func newFake(t *testing.T, handler http.HandlerFunc) *fakeAPI {
	f := &fakeAPI{emulatortest.Start(t, emulator.Options{Chats: 1})}
	f.Inject(emulatortest.Fault{Hook: emulatortest.Handler(func(w http.ResponseWriter, r *http.Request, _ int64) { handler(w, r) })})
	return f
}

// rawChats turns JSON texts into the emulator's injected chats.
func rawChats(chats []string) []json.RawMessage {
	out := make([]json.RawMessage, len(chats))
	for i, c := range chats {
		out[i] = json.RawMessage(c)
	}
	return out
}

// newFakeZAPI is the emulator serving chats (raw JSON objects) as the
// Z-API account of zapiProvider.
func newFakeZAPI(t *testing.T, chats ...string) *fakeAPI {
	return newFakeZAPIFor(t, emulator.ZAPICredentials{}, chats...)
}

// newFakeZAPIFor serves chats as the account creds names (the emulator's
// default account when zero).
func newFakeZAPIFor(t *testing.T, creds emulator.ZAPICredentials, chats ...string) *fakeAPI {
	return &fakeAPI{emulatortest.Start(t, emulator.Options{ZAPI: creds, ZAPIChats: rawChats(chats)})}
}

// newFakeEnviaAI is the emulator serving chats (raw JSON objects) on the
// instance of enviaAIProvider and on inst_other; it filters, sorts and pages
// them as EnviaAI does.
func newFakeEnviaAI(t *testing.T, chats ...string) *fakeAPI {
	return newFakeEnviaAIFor(t, emulator.EnviaAICredentials{APIKey: "demo-api-key", InstanceIDs: []string{"inst_demo", "inst_other"}}, chats...)
}

// newFakeEnviaAIFor serves chats on every instance of creds.
func newFakeEnviaAIFor(t *testing.T, creds emulator.EnviaAICredentials, chats ...string) *fakeAPI {
	raw := map[string][]json.RawMessage{}
	for _, id := range creds.InstanceIDs {
		raw[id] = rawChats(chats)
	}
	return &fakeAPI{emulatortest.Start(t, emulator.Options{EnviaAI: creds, EnviaAIChats: raw})}
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
