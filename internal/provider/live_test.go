package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client"
)

// Live acceptance tests: the provider against the real Z-API and EnviaAI,
// run by `make testacc` when TF_ACC and a backend's credentials are set.
// They check only what any live account satisfies (types, formats, and
// agreement between data sources), never particular chats. Without the
// credentials each one is skipped, naming the variables it needs: a skip,
// never a pass.
//
// A data source adds its live test as a TestLive_<DataSource> function that
// calls forEachLiveBackend and runs a step (liveProvider(b) plus its data
// sources, and state checks over what it reads) built by a function that
// TestLiveSteps_PassOverTheEmulator also runs offline.

// liveBackend is one API the live tests can read, with the environment
// variables it needs.
type liveBackend struct {
	name     string
	block    string // the provider argument that selects it
	required []string
	// instanceID is the variable that names the configured instance.
	instanceID string
	// listing are the further variables whatsapp_instances needs.
	listing []string
}

var liveBackends = []liveBackend{
	{name: client.BackendZAPI, block: "zapi", required: []string{envZAPIInstanceID, envZAPIToken},
		instanceID: envZAPIInstanceID, listing: []string{envZAPIPartnerToken}},
	{name: client.BackendEnviaAI, block: "enviaai", required: []string{envEnviaAIAPIKey, envEnviaAIInstanceID},
		instanceID: envEnviaAIInstanceID},
}

// liveListingBackends are liveBackends, each requiring what
// whatsapp_instances needs besides.
func liveListingBackends() []liveBackend {
	out := slices.Clone(liveBackends)
	for i := range out {
		out[i].required = append(slices.Clone(out[i].required), out[i].listing...)
	}
	return out
}

// liveSkipReason says why a live test for b cannot run here, or "" when
// it can.
func liveSkipReason(b liveBackend, getenv func(string) string) string {
	var missing []string
	if getenv(resource.EnvTfAcc) == "" {
		missing = append(missing, resource.EnvTfAcc)
	}
	for _, v := range b.required {
		if getenv(v) == "" {
			missing = append(missing, v)
		}
	}
	if len(missing) == 0 {
		return ""
	}
	return fmt.Sprintf("live %s acceptance test not run: set %s (unset: %s); see README, Development",
		b.name, strings.Join(append([]string{resource.EnvTfAcc}, b.required...), ", "), strings.Join(missing, ", "))
}

// forEachLiveBackend runs test once per backend, as a subtest skipped
// unless TF_ACC and that backend's credentials are set. With no backend to
// run, the test itself is skipped too, so it never shows as passed.
func forEachLiveBackend(t *testing.T, test func(t *testing.T, b liveBackend)) {
	t.Helper()
	forEachOf(t, liveBackends, test)
}

func forEachOf(t *testing.T, backends []liveBackend, test func(t *testing.T, b liveBackend)) {
	t.Helper()
	ran := false
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			if reason := liveSkipReason(b, os.Getenv); reason != "" {
				t.Skip(reason)
			}
			ran = true
			test(t, b)
		})
	}
	if !ran {
		t.Skip("no live backend configured; each subtest names the variables it needs")
	}
}

// runLive runs one step against a live API.
func runLive(t *testing.T, step resource.TestStep) {
	t.Helper()
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: liveFactories(), Steps: []resource.TestStep{step}})
}

// liveProvider selects b explicitly (its block, every value from the
// environment), so that credentials of both backends may be set at once.
func liveProvider(b liveBackend) string {
	return fmt.Sprintf("provider \"whatsapp\" {\n  %s = {}\n}\n", b.block)
}

// liveFactories serve the provider as released: default retries and waits,
// as a live API needs.
func liveFactories() map[string]func() (tfprotov6.ProviderServer, error) {
	serve := NewServer("acc")
	return map[string]func() (tfprotov6.ProviderServer, error){
		"whatsapp": func() (tfprotov6.ProviderServer, error) { return serve(), nil },
	}
}

// liveCheck is a state check written as a Go function over the state of
// one data source, for checks that knownvalue cannot say (formats, and
// agreement between values).
type liveCheck func(values map[string]any) error

func checkDataSource(address string, check liveCheck) statecheck.StateCheck {
	return stateCheckFunc(func(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
		values, err := dataSourceValues(req, address)
		if err == nil {
			err = check(values)
		}
		if err != nil {
			resp.Error = fmt.Errorf("%s: %w", address, err)
		}
	})
}

// dataSourceValues are the attributes of the data source at address in
// the state.
func dataSourceValues(req statecheck.CheckStateRequest, address string) (map[string]any, error) {
	if req.State == nil || req.State.Values == nil || req.State.Values.RootModule == nil {
		return nil, fmt.Errorf("no state")
	}
	for _, r := range req.State.Values.RootModule.Resources {
		if r.Address == address {
			return r.AttributeValues, nil
		}
	}
	return nil, fmt.Errorf("not in the state")
}

// checkDataSources is a state check over several data sources at once,
// for checks of agreement between them; check gets their values by address.
func checkDataSources(check func(values map[string]map[string]any) error, addresses ...string) statecheck.StateCheck {
	return stateCheckFunc(func(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
		values := map[string]map[string]any{}
		for _, address := range addresses {
			v, err := dataSourceValues(req, address)
			if err != nil {
				resp.Error = fmt.Errorf("%s: %w", address, err)
				return
			}
			values[address] = v
		}
		resp.Error = check(values)
	})
}

type stateCheckFunc func(context.Context, statecheck.CheckStateRequest, *statecheck.CheckStateResponse)

func (f stateCheckFunc) CheckState(ctx context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	f(ctx, req, resp)
}

// liveChatPageSize is the one page the live tests read: small, so that a
// run costs one request per data source.
const liveChatPageSize = 20

// TestLive_ChatsDataSource reads one page of chats and checks each chat's
// types and formats, and that the page is no longer than asked.
func TestLive_ChatsDataSource(t *testing.T) {
	forEachLiveBackend(t, func(t *testing.T, b liveBackend) {
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: liveFactories(),
			Steps: []resource.TestStep{{
				Config: liveProvider(b) + fmt.Sprintf("data \"whatsapp_chats\" \"page\" {\n  page      = 1\n  page_size = %d\n}\n", liveChatPageSize),
				ConfigStateChecks: []statecheck.StateCheck{
					checkDataSource("data.whatsapp_chats.page", checkChatsPage),
				},
			}},
		})
	})
}

// TestLive_ChatDataSource looks up by phone a one-to-one chat found on the
// first page of chats, and checks that both data sources describe the same
// chat. An account whose first page has no such chat skips it.
func TestLive_ChatDataSource(t *testing.T) {
	forEachLiveBackend(t, func(t *testing.T, b liveBackend) {
		compared := false
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: liveFactories(),
			Steps: []resource.TestStep{{
				Config: liveProvider(b) + fmt.Sprintf(`
data "whatsapp_chats" "page" {
  page      = 1
  page_size = %d
}

locals {
  # One-to-one chats whose phone is digits, which whatsapp_chat accepts.
  phones = [for c in data.whatsapp_chats.page.chats : c.phone if c.is_group == false && can(regex("^[+]?[0-9]+$", c.phone))]
}

data "whatsapp_chat" "found" {
  count = length(local.phones) > 0 ? 1 : 0
  phone = local.phones[0]
}
`, liveChatPageSize),
				ConfigStateChecks: []statecheck.StateCheck{
					checkDataSource("data.whatsapp_chats.page", checkChatsPage),
					stateCheckFunc(func(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
						found, err := dataSourceValues(req, "data.whatsapp_chat.found[0]")
						if err != nil {
							return // no chat to look up on this page
						}
						compared = true
						page, err := dataSourceValues(req, "data.whatsapp_chats.page")
						if err == nil {
							err = sameChat(page, found)
						}
						resp.Error = err
					}),
				},
			}},
		})
		if !compared {
			t.Skip("the first page of chats has no one-to-one chat with a phone to look up")
		}
	})
}

// checkChatsPage checks what any page of chats satisfies.
func checkChatsPage(v map[string]any) error {
	chats, ok := v["chats"].([]any)
	if !ok {
		return fmt.Errorf("chats is %T, want a list", v["chats"])
	}
	if len(chats) > liveChatPageSize {
		return fmt.Errorf("%d chats on a page of %d", len(chats), liveChatPageSize)
	}
	if _, ok := v["has_more"].(bool); !ok && v["has_more"] != nil {
		return fmt.Errorf("has_more is %T, want a bool or null", v["has_more"])
	}
	if total := v["total"]; total != nil {
		n, ok := total.(json.Number)
		if i, err := n.Int64(); !ok || err != nil || i < int64(len(chats)) {
			return fmt.Errorf("total is %v, want a whole number no less than the %d chats on the page", total, len(chats))
		}
	}
	ids := map[string]bool{}
	for i, c := range chats {
		chat, ok := c.(map[string]any)
		if !ok {
			return fmt.Errorf("chats[%d] is %T, want an object", i, c)
		}
		if err := checkChat(chat); err != nil {
			return fmt.Errorf("chats[%d]: %w", i, err)
		}
		id := chat["id"].(string)
		if ids[id] {
			return fmt.Errorf("chats[%d]: id %q is repeated on the page", i, id)
		}
		ids[id] = true
	}
	return nil
}

// checkChat checks one chat's types and formats: a non-empty id, RFC 3339
// times in UTC, counts that are whole and not negative, and no end to a
// mute that lasts forever.
func checkChat(c map[string]any) error {
	id, _ := c["id"].(string)
	if id == "" {
		return fmt.Errorf("id is %v, want a non-empty string", c["id"])
	}
	for _, name := range []string{"last_message_time", "mute_end_time", "created_at"} {
		if err := checkTime(c, name); err != nil {
			return err
		}
	}
	if _, err := checkCount(c, "unread_count"); err != nil {
		return err
	}
	if err := checkTypes[bool](c, "a bool", "is_group", "archived", "pinned", "muted", "muted_forever", "marked_spam"); err != nil {
		return err
	}
	if err := checkTypes[string](c, "a string", "phone", "name"); err != nil {
		return err
	}
	if forever, _ := c["muted_forever"].(bool); forever && c["mute_end_time"] != nil {
		return fmt.Errorf("muted_forever is true but mute_end_time is %v", c["mute_end_time"])
	}
	return nil
}

// checkCount checks that c[name] is a whole number >= 0 or null, and
// returns it (nil for null).
func checkCount(c map[string]any, name string) (*int64, error) {
	v := c[name]
	if v == nil {
		return nil, nil
	}
	n, ok := v.(json.Number)
	if !ok {
		return nil, fmt.Errorf("%s is %T, want a number or null", name, v)
	}
	i, err := n.Int64()
	if err != nil || i < 0 {
		return nil, fmt.Errorf("%s is %v, want a whole number >= 0", name, n)
	}
	return &i, nil
}

// checkTypes checks that each of names is null or of type T.
func checkTypes[T any](c map[string]any, want string, names ...string) error {
	for _, name := range names {
		if _, ok := c[name].(T); !ok && c[name] != nil {
			return fmt.Errorf("%s is %T, want %s or null", name, c[name], want)
		}
	}
	return nil
}

func checkTime(c map[string]any, name string) error {
	v, ok := c[name]
	if !ok || v == nil {
		return nil
	}
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("%s is %T, want an RFC 3339 string or null", name, v)
	}
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return fmt.Errorf("%s is %q, not RFC 3339: %w", name, s, err)
	}
	if _, offset := at.Zone(); offset != 0 {
		return fmt.Errorf("%s is %q, not in UTC", name, s)
	}
	return nil
}

// sameChat checks that whatsapp_chat found the chat the page listed under
// the phone it was given: the same id and kind, and a chat that passes the
// same checks. Counts and times may move between the two reads, so they are
// not compared.
func sameChat(page, found map[string]any) error {
	if err := checkChat(found); err != nil {
		return fmt.Errorf("whatsapp_chat: %w", err)
	}
	chats, _ := page["chats"].([]any)
	for _, c := range chats {
		listed, _ := c.(map[string]any)
		if listed == nil || listed["phone"] != found["phone"] {
			continue
		}
		for _, name := range []string{"id", "is_group"} {
			if listed[name] != found[name] {
				return fmt.Errorf("whatsapp_chat %s is %v, the listing says %v for phone %v", name, found[name], listed[name], found["phone"])
			}
		}
		return nil
	}
	return fmt.Errorf("whatsapp_chat read phone %v, which is not on the page it came from", found["phone"])
}

// The live tests never run here, so their checks are tested offline: a
// good page passes, and each kind of bad value is caught.
func TestLiveChecks(t *testing.T) {
	good := func() map[string]any {
		return map[string]any{"id": "5511999999999", "phone": "5511999999999", "name": "Ana", "is_group": false,
			"unread_count": json.Number("2"), "last_message_time": "2026-02-03T12:30:00Z", "mute_end_time": nil, "muted_forever": false}
	}
	page := func(edit func(c map[string]any)) map[string]any {
		c := good()
		edit(c)
		return map[string]any{"chats": []any{c}, "has_more": false, "total": json.Number("1")}
	}
	if err := checkChatsPage(page(func(map[string]any) {})); err != nil {
		t.Fatalf("a good page: %v", err)
	}
	for name, bad := range map[string]map[string]any{
		"empty id":             page(func(c map[string]any) { c["id"] = "" }),
		"time not RFC 3339":    page(func(c map[string]any) { c["last_message_time"] = "1770121800" }),
		"time not in UTC":      page(func(c map[string]any) { c["created_at"] = "2026-02-03T09:30:00-03:00" }),
		"negative unread":      page(func(c map[string]any) { c["unread_count"] = json.Number("-1") }),
		"fractional unread":    page(func(c map[string]any) { c["unread_count"] = json.Number("1.5") }),
		"unread not a number":  page(func(c map[string]any) { c["unread_count"] = float64(2) }),
		"bool as a string":     page(func(c map[string]any) { c["pinned"] = "true" }),
		"name not a string":    page(func(c map[string]any) { c["name"] = float64(1) }),
		"mute end forever":     page(func(c map[string]any) { c["muted_forever"] = true; c["mute_end_time"] = "2026-02-03T12:30:00Z" }),
		"total below the page": {"chats": []any{good()}, "total": json.Number("0")},
		"has_more not a bool":  {"chats": []any{good()}, "has_more": "false"},
		"chats not a list":     {"chats": map[string]any{}},
		"id repeated":          {"chats": []any{good(), good()}},
		"longer than asked":    {"chats": make([]any, liveChatPageSize+1)},
	} {
		if err := checkChatsPage(bad); err == nil {
			t.Errorf("%s: passed", name)
		}
	}

	listed := page(func(map[string]any) {})
	if err := sameChat(listed, good()); err != nil {
		t.Errorf("the listed chat: %v", err)
	}
	other := good()
	other["id"] = "another"
	if err := sameChat(listed, other); err == nil {
		t.Error("a chat with another id passed")
	}
	missing := good()
	missing["phone"] = "5500000000000"
	if err := sameChat(listed, missing); err == nil {
		t.Error("a chat not on the page passed")
	}
}

func TestLiveSkipReason(t *testing.T) {
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }
	zapi := liveBackends[0]
	if got := liveSkipReason(zapi, env(map[string]string{"TF_ACC": "1", envZAPIInstanceID: "i", envZAPIToken: "t"})); got != "" {
		t.Errorf("with every variable set: %q, want no reason", got)
	}
	got := liveSkipReason(zapi, env(map[string]string{"TF_ACC": "1", envZAPIInstanceID: "i"}))
	for _, want := range []string{"TF_ACC", envZAPIInstanceID, envZAPIToken, "unset: " + envZAPIToken} {
		if !strings.Contains(got, want) {
			t.Errorf("without %s: %q does not say %q", envZAPIToken, got, want)
		}
	}
	if got := liveSkipReason(liveBackends[1], env(nil)); !strings.Contains(got, "unset: TF_ACC, "+envEnviaAIAPIKey+", "+envEnviaAIInstanceID) {
		t.Errorf("with nothing set: %q", got)
	}
}
