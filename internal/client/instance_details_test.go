package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
)

// branchTokens are the tokens of the emulator's generated Z-API instances.
func branchTokens(n int) []string {
	tokens := make([]string, n)
	for i := range tokens {
		tokens[i] = fmt.Sprintf("branch-token-%03d", i+1)
	}
	return tokens
}

// A detailed listing reads every instance in full, with the listing's
// requests plus three an instance on Z-API (/status, /me, queue/count,
// each with the instance's own token) and one on EnviaAI (its status).
func TestListInstances_Details(t *testing.T) {
	const extra = 6
	emu := newInstanceEmulator(t, extra)
	t.Run("Z-API", func(t *testing.T) {
		log := &captureLogger{}
		opts := testOptions()
		opts.Logger, opts.MaxConcurrentRequests = log, 4
		c, err := NewZAPI(ZAPIConfig{BaseURL: emu.URL, PartnerToken: emulator.DefaultZAPIPartnerToken, ClientToken: "demo-client-token"}, opts)
		if err != nil {
			t.Fatal(err)
		}
		before := len(emu.requests())
		list, err := c.ListInstances(t.Context(), InstanceListOptions{Details: true})
		if err != nil {
			t.Fatal(err)
		}
		reqs := emu.requests()[before:]
		if n := len(list.Instances); n != 3+extra || len(reqs) != 1+3*n {
			t.Errorf("%d instances in %d requests, want %d in %d", n, len(reqs), 3+extra, 1+3*(3+extra))
		}
		secretFree(t, list)
		for _, line := range log.all() {
			assertNoSecretOf(t, "log", line, append(branchTokens(extra), "demo-token", "demo-partner-token")...)
		}
		for _, in := range list.Instances {
			want := queued(t, emu.Server, in.ID)
			if showInt(in.QueuedMessages) != fmt.Sprint(want) || in.Connected == nil || in.StatusMessage == nil || in.PhoneConnected == nil {
				t.Errorf("%s: %s status_message=%s", in.ID, showInstance(in), showStr(in.StatusMessage))
			}
			if in.ID != emulator.ZAPIDisconnectedInstance && (in.AutoReadMessages == nil || in.RejectCalls == nil || in.WebhookSentByMe == nil) {
				t.Errorf("%s lacks its /me settings: %s", in.ID, showInstance(in))
			}
		}
		demo := list.Instances[0]
		if demo.ID != "demo-instance" || len(demo.Webhooks) != 4 || showBool(demo.AutoReadMessages) != "true" {
			t.Errorf("demo-instance: %s", showInstance(demo))
		}
		// /me refused while disconnected: the listing's attributes stay.
		disc := list.Instances[1]
		if disc.ID != emulator.ZAPIDisconnectedInstance || sv(disc.Name) != "Vendas" || disc.Webhooks == nil || disc.AutoReadMessages != nil {
			t.Errorf("disconnected-instance: %s", showInstance(disc))
		}
		if len(list.Incomplete) != 1 || list.Incomplete[0].ID != emulator.ZAPIDisconnectedInstance || list.Incomplete[0].Err != nil ||
			len(list.Incomplete[0].Unread) != 1 || list.Incomplete[0].Unread[0].Endpoint != "GET /me" {
			t.Errorf("Incomplete = %+v", list.Incomplete)
		}
		for _, u := range reqs[1:] {
			if id, tok := pathInstance(u); id == "" || (strings.HasPrefix(id, "branch-") && tok != strings.Replace(id, "branch-", "branch-token-", 1)) {
				t.Errorf("detail request %s: not the instance's own token", u)
			}
		}
	})
	t.Run("EnviaAI", func(t *testing.T) {
		opts := testOptions()
		opts.MaxConcurrentRequests = 4
		c, err := NewEnviaAI(EnviaAIConfig{BaseURL: emu.URL, APIKey: "demo-api-key"}, opts)
		if err != nil {
			t.Fatal(err)
		}
		before := len(emu.requests())
		list, err := c.ListInstances(t.Context(), InstanceListOptions{Details: true})
		if err != nil {
			t.Fatal(err)
		}
		reqs := emu.requests()[before:]
		if n := len(list.Instances); n != 5+extra || len(reqs) != 1+n {
			t.Errorf("%d instances in %d requests, want %d in %d", n, len(reqs), 5+extra, 1+5+extra)
		}
		secretFree(t, list)
		demo := list.Instances[0]
		if demo.Stats == nil || demo.Health == nil || demo.ConnectedAt == nil || showBool(demo.AutoReadMessages) != "true" || demo.Webhooks["all"] == "" || demo.QueuedMessages != nil {
			t.Errorf("inst_demo: %s stats=%v", showInstance(demo), demo.Stats)
		}
		var incomplete []string
		for _, in := range list.Incomplete {
			incomplete = append(incomplete, in.ID)
			if in.Err != nil || len(in.Unread) != 1 {
				t.Errorf("%s: %+v", in.ID, in)
			}
		}
		if fmt.Sprint(incomplete) != "["+emulator.EnviaAIDisconnectedInstance+"]" {
			t.Errorf("incomplete: %v", incomplete)
		}
	})
}

// pathInstance is the instance id and token of a Z-API instance URL.
func pathInstance(u string) (id, token string) {
	parts := strings.Split(strings.SplitN(u, "?", 2)[0], "/")
	if len(parts) < 6 || parts[1] != "instances" || parts[3] != "token" {
		return "", ""
	}
	return parts[2], parts[4]
}

// An instance whose detail read fails keeps its listing attributes and is
// Incomplete with the reason, which quotes no instance token; the others
// are read in full.
func TestListInstances_DetailFailuresKeepTheListing(t *testing.T) {
	emu := newInstanceEmulator(t, 3)
	emu.Inject(emulatortest.Fault{Hook: func(r *http.Request, _ int64) *emulator.Reply {
		switch {
		case strings.Contains(r.URL.Path, "/branch-001/") && strings.HasSuffix(r.URL.Path, "/me"):
			// Gone after the listing.
			return &emulator.Reply{Status: http.StatusNotFound, Body: []byte(`{"error":"Instance not found"}`)}
		case strings.Contains(r.URL.Path, "/branch-002/") && strings.HasSuffix(r.URL.Path, "/status"):
			// Echoes the token it was sent.
			return &emulator.Reply{Status: http.StatusInternalServerError, Body: []byte(`{"error":"no session for branch-token-002"}`)}
		case strings.Contains(r.URL.Path, "/inst_branch_001/"):
			return &emulator.Reply{Status: http.StatusNotFound, Body: []byte(`{"success":false,"error":{"code":"instance_not_found","message":"Instance not found"}}`)}
		}
		return nil
	}})
	opts := testOptions()
	opts.MaxRetries = 0
	zapi, _ := NewZAPI(ZAPIConfig{BaseURL: emu.URL, PartnerToken: emulator.DefaultZAPIPartnerToken, ClientToken: "demo-client-token"}, opts)
	list, err := zapi.ListInstances(t.Context(), InstanceListOptions{Details: true})
	if err != nil {
		t.Fatal(err)
	}
	failed := map[string]string{}
	for _, in := range list.Incomplete {
		if in.Err != nil {
			failed[in.ID] = in.Err.Error()
		}
	}
	if len(failed) != 2 || !strings.Contains(failed["branch-001"], "Instance not found") || !strings.Contains(failed["branch-002"], "HTTP 500") {
		t.Errorf("failed: %v", failed)
	}
	assertNoSecretOf(t, "the failure", fmt.Sprint(failed), branchTokens(3)...)
	for _, in := range list.Instances {
		switch in.ID {
		case "branch-001", "branch-002":
			if in.Name == nil || in.Connected == nil || in.ExpiresAt == nil || in.StatusMessage != nil || in.AutoReadMessages != nil || in.QueuedMessages != nil {
				t.Errorf("%s, whose read failed: %s", in.ID, showInstance(in))
			}
		case "branch-003":
			if in.StatusMessage == nil || in.AutoReadMessages == nil || in.QueuedMessages == nil {
				t.Errorf("%s: %s", in.ID, showInstance(in))
			}
		}
	}

	envia, _ := NewEnviaAI(EnviaAIConfig{BaseURL: emu.URL, APIKey: "demo-api-key"}, opts)
	list, err = envia.ListInstances(t.Context(), InstanceListOptions{Details: true, Search: "branch"})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Incomplete) != 1 || list.Incomplete[0].ID != "inst_branch_001" || KindOf(list.Incomplete[0].Err) != KindUnknownInstance {
		t.Errorf("Incomplete = %+v", list.Incomplete)
	}
	if in := list.Instances[0]; in.Name == nil || in.Status == nil || in.Webhooks == nil || in.Stats != nil {
		t.Errorf("inst_branch_001: %s", showInstance(in))
	}
}

// A detail request that times out costs its instance only; one the
// credentials are refused for, or the read's own deadline, fail the read.
func TestListInstances_DetailErrors(t *testing.T) {
	t.Run("request timeout", func(t *testing.T) {
		emu := newInstanceEmulator(t, 1)
		emu.Inject(emulatortest.Fault{Hook: func(r *http.Request, _ int64) *emulator.Reply {
			if strings.Contains(r.URL.Path, "/branch-001/") {
				<-r.Context().Done() // never answers
			}
			return nil
		}})
		opts := testOptions()
		opts.MaxRetries, opts.RequestTimeout = 0, 100*time.Millisecond
		c, _ := NewZAPI(ZAPIConfig{BaseURL: emu.URL, PartnerToken: emulator.DefaultZAPIPartnerToken, ClientToken: "demo-client-token"}, opts)
		list, err := c.ListInstances(t.Context(), InstanceListOptions{Details: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Incomplete) != 2 || list.Incomplete[1].ID != "branch-001" || KindOf(list.Incomplete[1].Err) != KindTimeout {
			t.Errorf("Incomplete = %+v", list.Incomplete)
		}
	})
	t.Run("Client-Token refused", func(t *testing.T) {
		emu := newInstanceEmulator(t, 2)
		emu.Inject(emulatortest.Fault{Hook: func(r *http.Request, _ int64) *emulator.Reply {
			if strings.Contains(r.URL.Path, "/branch-002/") {
				return &emulator.Reply{Status: http.StatusForbidden, Body: []byte(`{"error":"Client-Token not allowed"}`)}
			}
			return nil
		}})
		c, _ := NewZAPI(ZAPIConfig{BaseURL: emu.URL, PartnerToken: emulator.DefaultZAPIPartnerToken, ClientToken: "demo-client-token"}, testOptions())
		if _, err := c.ListInstances(t.Context(), InstanceListOptions{Details: true}); KindOf(err) != KindClientTokenRefused {
			t.Errorf("err = %v, want the Client-Token refusal", err)
		}
	})
	t.Run("EnviaAI key refused", func(t *testing.T) {
		emu := newInstanceEmulator(t, 0)
		emu.Inject(emulatortest.Fault{Hook: func(r *http.Request, _ int64) *emulator.Reply {
			if strings.HasSuffix(r.URL.Path, "/status") {
				return &emulator.Reply{Status: http.StatusUnauthorized, Body: []byte(`{"success":false,"error":{"code":"expired_api_key","message":"expired"}}`)}
			}
			return nil
		}})
		c, _ := NewEnviaAI(EnviaAIConfig{BaseURL: emu.URL, APIKey: "demo-api-key"}, testOptions())
		if _, err := c.ListInstances(t.Context(), InstanceListOptions{Details: true}); KindOf(err) != KindCredentialsRefused {
			t.Errorf("err = %v, want the key refused", err)
		}
	})
	t.Run("the read's deadline", func(t *testing.T) {
		emu := newInstanceEmulator(t, 0)
		ctx, cancel := context.WithCancelCause(t.Context())
		stop := errors.New("the read's own deadline")
		emu.Inject(emulatortest.Fault{Hook: func(r *http.Request, _ int64) *emulator.Reply {
			if strings.HasSuffix(r.URL.Path, "/queue/count") {
				cancel(stop)
				<-r.Context().Done()
			}
			return nil
		}})
		c, _ := NewZAPI(ZAPIConfig{BaseURL: emu.URL, PartnerToken: emulator.DefaultZAPIPartnerToken, ClientToken: "demo-client-token"}, testOptions())
		if _, err := c.ListInstances(ctx, InstanceListOptions{Details: true}); !errors.Is(err, stop) {
			t.Errorf("err = %v, want the read's own deadline", err)
		}
	})
}

// The detail reads run at once, never more requests in flight than
// MaxConcurrentRequests. The server holds every request until the limit
// is in flight and the client has logged that a further request waits for
// a free slot, or until more than the limit are in flight.
func TestListInstances_DetailConcurrency(t *testing.T) {
	const limit = 3
	emu := newInstanceEmulator(t, 20)
	var mu sync.Mutex
	inFlight, peak, waiting := 0, 0, false
	release := make(chan struct{})
	check := func() { // under mu
		if inFlight > limit || inFlight == limit && waiting {
			select {
			case <-release:
			default:
				close(release)
			}
		}
	}
	emu.Inject(emulatortest.Fault{Hook: func(r *http.Request, _ int64) *emulator.Reply {
		if r.URL.Path == "/instances" {
			return nil
		}
		mu.Lock()
		inFlight++
		peak = max(peak, inFlight)
		check()
		mu.Unlock()
		select {
		case <-release:
		case <-r.Context().Done():
		}
		mu.Lock()
		inFlight--
		mu.Unlock()
		return nil
	}})
	opts := testOptions()
	opts.MaxConcurrentRequests = limit
	opts.Logger = loggerFunc(func(msg string, _ map[string]any) {
		if msg == "Waiting for a free request slot" {
			mu.Lock()
			waiting = true
			check()
			mu.Unlock()
		}
	})
	c, _ := NewZAPI(ZAPIConfig{BaseURL: emu.URL, PartnerToken: emulator.DefaultZAPIPartnerToken, ClientToken: "demo-client-token"}, opts)
	list, err := c.ListInstances(t.Context(), InstanceListOptions{Details: true})
	if err != nil {
		t.Fatal(err)
	}
	if peak != limit || len(list.Instances) != 23 {
		t.Errorf("peak %d requests in flight, want %d (the limit, reached)", peak, limit)
	}
}

// loggerFunc is a Logger made of a function.
type loggerFunc func(msg string, fields map[string]any)

func (f loggerFunc) Debug(_ context.Context, msg string, fields map[string]any) { f(msg, fields) }
func (f loggerFunc) Warn(_ context.Context, msg string, fields map[string]any)  { f(msg, fields) }
