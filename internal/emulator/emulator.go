// Package emulator is a local fake of the two APIs the provider uses:
// Z-API's GET /instances/{id}/token/{token}/chats, .../status, .../me,
// .../queue/count, the settings writes PUT .../update-*, and the partner
// listing GET /instances;
// EnviaAI's GET /v1/messages/chats, GET /v1/instances,
// GET /v1/instances/{id}/status, PATCH /v1/instances/{id} and the webhooks
// API under /v1/webhooks (enviaai_webhooks.go). It answers in the
// real, quirky wire format, with deterministic data from a seed (instance
// due dates count from the server's start), and can be told to misbehave (latency,
// failures, rate limits, malformed bodies, hangs) so clients can be tested
// against what the real services do. Tests can inject raw chats
// (Options.ZAPIChats, Options.EnviaAIChats) and see or answer each request
// through a hook (SetHook).
//
// *Server is an http.Handler: use it in tests with httptest.NewServer, or run
// cmd/whatsapp-emulator for a standalone server.
package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"time"
)

// Instance ids that exist but are not connected to WhatsApp. Z-API's takes
// the configured token.
const (
	ZAPIDisconnectedInstance    = "disconnected-instance"
	EnviaAIDisconnectedInstance = "inst_disconnected"
)

const defaultChats = 300

// Instance states Options.State takes.
const (
	StateConnected    = "connected"
	StateDisconnected = "disconnected"
	StateConnecting   = "connecting"
	StatePairing      = "pairing"
)

// Validate reports options New cannot honor.
func (o Options) Validate() error {
	switch o.State {
	case "", StateConnected, StateDisconnected, StateConnecting, StatePairing:
	default:
		return fmt.Errorf("unknown State %q (want connected, disconnected, connecting or pairing)", o.State)
	}
	if o.PaidFor < 0 || o.Unread != nil && *o.Unread < 0 || o.Chats < 0 || o.Instances < 0 {
		return fmt.Errorf("PaidFor, Unread, Chats and Instances must not be negative")
	}
	return nil
}

// spread gives n unread messages to chats from the first, evenly.
func spread(n, chats int, set func(i, unread int)) {
	for i := range chats {
		u := n / chats
		if i < n%chats {
			u++
		}
		set(i, u)
	}
}

// Options configures New. The zero value serves 300 chats per instance with
// the default credentials.
type Options struct {
	Seed  int64 // data seed; same seed and size give byte-identical data
	Chats int   // chats per instance; 300 when 0
	// Instances adds that many generated instances to each account's
	// listing, besides the seeded ones (instances.go).
	Instances int
	ZAPI      ZAPICredentials
	EnviaAI   EnviaAICredentials
	// ZAPIChats, when not nil, are the Z-API chats, sent byte for byte in
	// this order in place of generated ones (raw.go).
	ZAPIChats []json.RawMessage
	// State is the state of the configured instances (Z-API's and the
	// first EnviaAI one): "" or StateConnected, StateDisconnected,
	// StateConnecting or StatePairing (EnviaAI's qr_pending). Their chats
	// can be read only while connected.
	State string
	// PaidFor is when the configured Z-API instance's paid period ends,
	// counted from the server's start; 90 days when 0.
	PaidFor time.Duration
	// Unread, when not nil, is the configured instances' unread backlog:
	// that many unread messages spread over their chats from the first
	// (one chat gets at most one more than another), in place of the
	// generated counts; EnviaAI's status reports it as unreadMessages.
	Unread *int
	// EnviaAIChats replaces the chats of the EnviaAI instances it names
	// (each one of EnviaAI.InstanceIDs, or of the defaults) with raw ones
	// (raw.go).
	EnviaAIChats map[string][]json.RawMessage
}

// ZAPICredentials are the instance, token and account security token Z-API
// accepts, and the partner token of the instance listing. When the whole
// struct is zero the defaults are demo-instance, demo-token,
// demo-client-token and DefaultZAPIPartnerToken. ClientToken "" (in a
// non-zero struct) means the Client-Token header is not required;
// PartnerToken "" means the partner listing refuses every request.
type ZAPICredentials struct {
	InstanceID, Token, ClientToken, PartnerToken string
}

// EnviaAICredentials are the bearer key and the connected instance ids
// EnviaAI accepts. When the whole struct is zero the defaults are
// demo-api-key with instances inst_demo and inst_support.
type EnviaAICredentials struct {
	APIKey      string
	InstanceIDs []string
}

// Server serves both APIs. It is safe for concurrent use.
type Server struct {
	zapi     *zapiAPI
	envia    *enviaAPI
	zapiInst *zapiInstanceAPI
	envInst  *enviaInstanceAPI
	webhooks *enviaWebhookAPI
	faults   faultState
	hook     atomic.Pointer[Hook]
	requests atomic.Int64
	writes   writeLog
	now      func() time.Time // replaced in tests to drive rate-limit windows
}

// api is one of the emulated services behind the shared fault pipeline.
type api interface {
	serve(r *http.Request, f Faults) response
	errorResponse(e apiError) response
}

// apiError is an error answer before it takes the shape of one API's body.
type apiError struct {
	status     int
	code       string // EnviaAI's error.code
	message    string
	retryAfter int // seconds; EnviaAI repeats it in the body when > 0
}

// New builds the data for both APIs; with 100,000 chats this takes a moment.
func New(opts Options) *Server {
	if err := opts.Validate(); err != nil {
		panic("emulator: " + err.Error())
	}
	if opts.Chats <= 0 {
		opts.Chats = defaultChats
	}
	if opts.ZAPI == (ZAPICredentials{}) {
		opts.ZAPI = ZAPICredentials{InstanceID: "demo-instance", Token: "demo-token", ClientToken: "demo-client-token", PartnerToken: DefaultZAPIPartnerToken}
	}
	if opts.EnviaAI.APIKey == "" && len(opts.EnviaAI.InstanceIDs) == 0 {
		opts.EnviaAI = EnviaAICredentials{APIKey: "demo-api-key", InstanceIDs: []string{"inst_demo", "inst_support"}}
	}
	for id := range opts.EnviaAIChats {
		if !slices.Contains(opts.EnviaAI.InstanceIDs, id) {
			panic("emulator: EnviaAIChats names " + id + ", which is not one of the EnviaAI instances")
		}
	}
	s := &Server{
		zapi:  newZAPI(opts),
		envia: newEnviaAI(opts),
		now:   time.Now,
	}
	s.zapiInst = newZAPIInstances(opts, time.Now())
	s.envInst = newEnviaInstances(opts)
	s.webhooks = newEnviaWebhooks(opts, s.envInst.knownInstance)
	s.faults.set(Faults{})
	return s
}

// Requests is the number of requests received so far, whatever their answer.
func (s *Server) Requests() int64 { return s.requests.Load() }

// Writes returns every request other than a GET received so far, in order,
// whatever its answer.
func (s *Server) Writes() []Write { return s.writes.all() }

// ZAPIChats returns the Z-API chats in API order, each as json.Unmarshal
// decodes the object the server sends (numbers are float64; nil for an
// injected chat that is not a JSON object). The result is a fresh copy.
func (s *Server) ZAPIChats() []map[string]any { return decodeAll(s.zapi.chats) }

// EnviaAIChats returns the chats of one EnviaAI instance in the server's
// default order (lastMessageAt desc), decoded like ZAPIChats; nil for an
// unknown instance.
func (s *Server) EnviaAIChats(instanceID string) []map[string]any {
	in := s.envia.instances[instanceID]
	if in == nil {
		return nil
	}
	wires := make([][]byte, len(in.chats))
	for i := range in.chats {
		wires[i] = in.chats[i].wire
	}
	return decodeAll(wires)
}

// ServeHTTP records a write, then runs every request through the same
// steps: the hook, latency, hang, rate limit, forced failures, the API
// itself, then malformed-body faults.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := s.requests.Add(1)
	if r.Method != http.MethodGet {
		s.writes.record(r)
	}
	if s.hooked(w, r, n) {
		return
	}
	f := s.faults.current()
	if !sleep(r.Context(), f.Latency) {
		return
	}
	if f.Hang {
		<-r.Context().Done()
		return
	}
	a := s.route(r.URL.Path)
	if a == nil {
		notFound().write(w)
		return
	}
	header, failure := s.faults.admit(a, s.now())
	if failure == nil && r.Method != http.MethodGet && allows(a, r.URL.Path, r.Method) {
		failure = s.faults.admitWrite(header)
	}
	resp := s.answer(r, f, failure)
	maps.Copy(resp.header, header)
	resp.write(w)
}

func notFound() response {
	return jsonResponse(http.StatusNotFound, []byte(`{"error":"Not found"}`))
}

func (s *Server) answer(r *http.Request, f Faults, failure *apiError) response {
	a := s.route(r.URL.Path)
	switch {
	case a == nil:
		return notFound()
	case failure != nil:
		return a.errorResponse(*failure)
	case !allows(a, r.URL.Path, r.Method):
		resp := a.errorResponse(apiError{status: http.StatusMethodNotAllowed, code: "method_not_allowed", message: "Method not allowed"})
		resp.header.Set("Allow", strings.Join(methodsOf(a, r.URL.Path), ", "))
		return resp
	}
	return malform(a.serve(r, f), f.Malformed)
}

// writer is an API that serves writes on some of its paths.
type writer interface {
	// method is the one method path accepts.
	method(path string) string
}

// multiWriter is an API whose paths serve several methods each.
type multiWriter interface {
	methods(path string) []string
}

func methodsOf(a api, path string) []string {
	switch w := a.(type) {
	case multiWriter:
		return w.methods(path)
	case writer:
		return []string{w.method(path)}
	}
	return []string{http.MethodGet}
}

func allows(a api, path, method string) bool { return slices.Contains(methodsOf(a, path), method) }

func (s *Server) route(path string) api {
	if path == enviaAIPath {
		return s.envia
	}
	if _, _, ok := parseZAPIPath(path); ok {
		return s.zapi
	}
	if _, _, _, ok := parseZAPIInstancePath(path); ok || path == "/instances" {
		return s.zapiInst
	}
	if _, ok := parseEnviaInstancePath(path); ok {
		return s.envInst
	}
	if _, ok := parseEnviaInstanceWrite(path); ok {
		return s.envInst
	}
	if _, _, ok := parseEnviaWebhookPath(path); ok {
		return s.webhooks
	}
	return nil
}

// sleep waits d or until ctx is done, and reports whether d elapsed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
