package client

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
)

// emuAPI is the emulator serving one backend's chats for the test
// accounts, recording every request, with a client configured for it.
type emuAPI struct {
	backend string
	emu     *emulatortest.Server
	rec     recorder
	fault   atomic.Pointer[fault]
	// totalOffset is added to EnviaAI's pagination.total (a list that
	// changed); noTotal leaves it out, so only hasMore tells the end.
	totalOffset int
	noTotal     bool
}

// fault may answer a request in place of the emulator; n is the 1-based
// number of the request. It returns false to let the emulator answer.
type fault func(w http.ResponseWriter, r *http.Request, n int) bool

// serveZAPI serves chats as Z-API renders them (rotating through its wire
// forms) on the test instance.
func serveZAPI(t testing.TB, chats []testChat) *emuAPI {
	objs := make([]map[string]any, len(chats))
	for i, c := range chats {
		objs[i] = c.zapiJSON(i)
	}
	return serveZAPIRaw(t, marshalEach(objs))
}

func marshalEach(objs []map[string]any) []json.RawMessage {
	raw := make([]json.RawMessage, len(objs))
	for i, o := range objs {
		raw[i] = mustMarshal(o)
	}
	return raw
}

// serveZAPIRaw serves chat objects byte for byte.
func serveZAPIRaw(t testing.TB, raw []json.RawMessage) *emuAPI {
	return newEmuAPI(t, BackendZAPI, emulator.Options{
		ZAPI:      emulator.ZAPICredentials{InstanceID: testInstanceID, Token: testToken, ClientToken: testClientToken},
		ZAPIChats: raw,
	})
}

// serveEnviaAI serves chats as EnviaAI renders them on both test instances;
// the emulator filters, sorts and pages them.
func serveEnviaAI(t testing.TB, chats []testChat) *emuAPI {
	objs := make([]map[string]any, len(chats))
	for i, c := range chats {
		objs[i] = c.enviaJSON(i)
	}
	raw := marshalEach(objs)
	return newEmuAPI(t, BackendEnviaAI, emulator.Options{
		EnviaAI:      emulator.EnviaAICredentials{APIKey: testAPIKey, InstanceIDs: []string{testInstanceID, otherInstanceID}},
		EnviaAIChats: map[string][]json.RawMessage{testInstanceID: raw, otherInstanceID: raw},
	})
}

func newEmuAPI(t testing.TB, backend string, opts emulator.Options) *emuAPI {
	a := &emuAPI{backend: backend, emu: emulatortest.Start(t, opts)}
	a.rec = recorder{a.emu}
	a.emu.Inject(emulatortest.Fault{Hook: a.hook})
	return a
}

// hook lets the fault answer, or the emulator (with the headers the fault
// set, and the total edited).
func (a *emuAPI) hook(r *http.Request, n int64) *emulator.Reply {
	var extra http.Header
	if f := a.fault.Load(); f != nil {
		w := httptest.NewRecorder()
		if (*f)(w, r, int(n)) {
			return recorded(w)
		}
		extra = w.Header()
	}
	if len(extra) == 0 && a.totalOffset == 0 && !a.noTotal {
		return nil
	}
	rep := a.emu.Answer(r)
	rep.Body = a.editTotal(rep.Body)
	maps.Copy(rep.Header, extra)
	return &rep
}

// answer writes the emulator's own answer, for a fault that passes a
// request on.
func (a *emuAPI) answer(w http.ResponseWriter, r *http.Request) {
	rep := a.emu.Answer(r)
	for k, v := range rep.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(rep.Status)
	_, _ = w.Write(a.editTotal(rep.Body))
}

// editTotal applies totalOffset and noTotal to an EnviaAI list body.
func (a *emuAPI) editTotal(body []byte) []byte {
	if a.totalOffset == 0 && !a.noTotal {
		return body
	}
	var page map[string]any
	if json.Unmarshal(body, &page) != nil {
		return body
	}
	p, ok := page["pagination"].(map[string]any)
	if !ok {
		return body
	}
	if a.noTotal {
		delete(p, "total")
	} else if total, ok := p["total"].(float64); ok {
		p["total"] = int(total) + a.totalOffset
	}
	return mustMarshal(page)
}

// recorded turns what a handler wrote into the hook's reply.
func recorded(w *httptest.ResponseRecorder) *emulator.Reply {
	return &emulator.Reply{Status: w.Code, Header: w.Header(), Body: w.Body.Bytes()}
}

func (a *emuAPI) URL() string         { return a.emu.URL }
func (a *emuAPI) setFault(f fault)    { a.fault.Store(&f) }
func (a *emuAPI) requests() []request { return a.rec.all() }
func (a *emuAPI) count() int          { return a.rec.count() }

// setConnFault runs f on the connection's own writer, for what no answer
// can express: a connection cut, a body cut short.
func (a *emuAPI) setConnFault(f fault) {
	a.emu.Inject(emulatortest.Fault{Hook: a.hook, Conn: func(w http.ResponseWriter, r *http.Request, n int64) bool { return f(w, r, int(n)) }})
}

// pageKeys are the query keys that locate a page.
func (a *emuAPI) pageKeys() []string {
	if a.backend == BackendZAPI {
		return []string{"page", "pageSize"}
	}
	return []string{"offset", "limit"}
}

func (a *emuAPI) client(t testing.TB, opts HTTPOptions) *Client {
	if a.backend == BackendZAPI {
		return newTestZAPI(t, a.emu.URL, opts)
	}
	return newTestEnviaAI(t, a.emu.URL, opts)
}

// ids are the chat identifiers the client reports, in the emulator's
// order: Z-API's phones as served, EnviaAI's chatIds in its default order.
func (a *emuAPI) ids() []string {
	if a.backend == BackendZAPI {
		return field(a.emu.ZAPIChats(), "phone")
	}
	return field(a.emu.EnviaAIChats(testInstanceID), "chatId")
}

// matching are the ids of every chat EnviaAI's emulator selects for opts,
// in its order: what the server side of a listing returns.
func (a *emuAPI) matching(t testing.TB, opts ListOptions) []string {
	t.Helper()
	q := url.Values{"instanceId": {testInstanceID}}
	if opts.Search != "" {
		q.Set("search", opts.Search)
	}
	if opts.UnreadOnly {
		q.Set("unreadOnly", "true")
	}
	if opts.SortBy != "" || opts.SortOrder != "" {
		by, order := opts.SortBy, opts.SortOrder
		if by == "" {
			by = SortByLastMessageTime
		}
		if order == "" {
			order = Descending
		}
		q.Set("sortBy", enviaSortFields[by])
		q.Set("sortOrder", string(order))
	}
	list, err := a.emu.EnviaAIList(q)
	if err != nil {
		t.Fatalf("EnviaAIList(%s): %v", q.Encode(), err)
	}
	return field(list, "chatId")
}

func field(chats []map[string]any, name string) []string {
	out := make([]string, len(chats))
	for i, c := range chats {
		out[i], _ = c[name].(string)
	}
	return out
}

func mustMarshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// backends serves the same chats on each API.
func backends(t testing.TB, chats []testChat) []struct {
	name string
	api  *emuAPI
} {
	return []struct {
		name string
		api  *emuAPI
	}{
		{BackendZAPI, serveZAPI(t, chats)},
		{BackendEnviaAI, serveEnviaAI(t, chats)},
	}
}

// rawServer is the emulator answering every request with handler's exact
// answer, through its hook, recording it.
func rawServer(t testing.TB, handler func(w http.ResponseWriter, r *http.Request, n int)) (*emulatortest.Server, *recorder) {
	s := emulatortest.Start(t, emulator.Options{Chats: 1})
	s.Inject(emulatortest.Fault{Hook: emulatortest.Handler(func(w http.ResponseWriter, r *http.Request, n int64) { handler(w, r, int(n)) })})
	return s, &recorder{s}
}

// connServer is for what no answer can express, a connection cut or a
// body stalled part way: handler gets the connection's own writer.
func connServer(t testing.TB, handler func(w http.ResponseWriter, r *http.Request, n int)) (*emulatortest.Server, *recorder) {
	s := emulatortest.Start(t, emulator.Options{Chats: 1})
	s.Inject(emulatortest.Fault{Conn: func(w http.ResponseWriter, r *http.Request, n int64) bool {
		handler(w, r, int(n))
		return true
	}})
	return s, &recorder{s}
}

// matchingIDs are the ids of every chat of a listing with opts on backend,
// in order, before any window (Page, MaxResults) is cut: EnviaAI's from the
// emulator, which filters and sorts on the server; Z-API's from one whole
// read over a separate emulator, as Z-API's filters and sorts are the
// client's own (TestSortChats and TestLocalSortAndSearchThroughZAPI pin
// those to fixed values), so a windowed or concurrent read must agree with it.
func matchingIDs(t testing.TB, backend string, chats []testChat, opts ListOptions) []string {
	t.Helper()
	if backend == BackendEnviaAI {
		return serveEnviaAI(t, chats).matching(t, opts)
	}
	whole := opts
	whole.Page, whole.MaxResults = 0, 0
	list, err := serveZAPI(t, chats).client(t, testOptions()).ListChats(t.Context(), whole)
	if err != nil {
		t.Fatalf("whole read: %v", err)
	}
	return chatIDs(list.Chats)
}

// window is what a listing with opts returns of the matching chats' ids.
func window(matching []string, opts ListOptions) (ids []string, hasMore bool) {
	switch {
	case opts.Page > 0:
		size := opts.pageSize()
		lo, hi := min((opts.Page-1)*size, len(matching)), min(opts.Page*size, len(matching))
		return matching[lo:hi], hi < len(matching)
	case opts.MaxResults > 0 && len(matching) > opts.MaxResults:
		return matching[:opts.MaxResults], true
	}
	return matching, false
}

// request is what the server saw of one request.
type request struct {
	Path   string
	Query  url.Values
	Header http.Header
	At     time.Time
}

// recorder reads what a server received.
type recorder struct{ s *emulatortest.Server }

func (r *recorder) all() []request {
	var out []request
	for _, req := range r.s.Received() {
		out = append(out, request{Path: req.URL.Path, Query: req.URL.Query(), Header: req.Header, At: req.At})
	}
	return out
}

func (r *recorder) count() int { return len(r.s.Received()) }

// queries renders each request's values of keys as "k=v&k=v", in order.
func (r *recorder) queries(keys ...string) []string {
	var out []string
	for _, req := range r.all() {
		var parts []string
		for _, k := range keys {
			parts = append(parts, k+"="+req.Query.Get(k))
		}
		out = append(out, strings.Join(parts, "&"))
	}
	return out
}

// sortedQueries is queries in sorted order, for concurrent reads.
func (r *recorder) sortedQueries(keys ...string) []string {
	q := r.queries(keys...)
	sort.Strings(q)
	return q
}

// testChat is one chat of a test account, rendered by each API in its
// own JSON (with the quirks of that API).
type testChat struct {
	id     string // EnviaAI chatId; Z-API uses the phone
	phone  string
	name   *string
	unread *int64
	last   *time.Time
}

// testNames mixes case and non-ASCII letters and repeats names, so sorts
// by name have ties that only a case-insensitive comparison sees.
var testNames = []string{"Ana", "bruno", "Álvaro", "ANA", "carla", "Élodie", "zé", "Bruno", "ana", "Örjan", "daniel", "Carla"}

// makeChats builds n chats with ties and missing values in every sort field.
func makeChats(n int) []testChat {
	chats := make([]testChat, n)
	for i := range chats {
		c := testChat{id: fmt.Sprintf("chat_%04d", i), phone: fmt.Sprintf("5511%09d", 900000000+i)}
		if i%17 != 5 {
			c.name = new(testNames[i%len(testNames)])
		}
		if i%11 != 3 {
			c.unread = new(int64((i * 7) % 5))
		}
		if i%13 != 7 {
			c.last = new(time.Unix(1700000000+int64((i*37)%90)*60, 0).UTC())
		}
		chats[i] = c
	}
	return chats
}

// zapiJSON renders a chat as Z-API does, rotating through its forms.
func (f testChat) zapiJSON(i int) map[string]any {
	m := map[string]any{
		"phone":               f.phone,
		"archived":            []any{"false", false, "true"}[i%3],
		"pinned":              []any{"true", false}[i%2],
		"isMuted":             []any{"0", "1"}[i%2],
		"isMarkedSpam":        "false",
		"isGroup":             false,
		"isGroupAnnouncement": false,
	}
	if f.name != nil {
		m["name"] = *f.name
	}
	if f.unread != nil {
		switch i % 3 {
		case 0:
			m["unread"] = strconv.FormatInt(*f.unread, 10)
		case 1:
			m["messagesUnread"] = *f.unread
		case 2:
			m["unread"] = strconv.FormatInt(*f.unread, 10)
			m["messagesUnread"] = 99 // the deprecated twin loses to unread
		}
	}
	if f.last != nil {
		if i%2 == 0 {
			m["lastMessageTime"] = strconv.FormatInt(f.last.Unix(), 10)
		} else {
			m["lastMessageTime"] = f.last.UnixMilli()
		}
	}
	return m
}

// enviaJSON renders a chat as EnviaAI does.
func (f testChat) enviaJSON(i int) map[string]any {
	m := map[string]any{
		"chatId":        f.id,
		"phone":         f.phone,
		"profilePicUrl": "https://pps.whatsapp.net/v/" + f.id,
		"isGroup":       false,
		"createdAt":     "2026-01-15T10:00:00.000Z",
	}
	if f.name != nil {
		m["contactName"] = *f.name
	}
	if f.unread != nil {
		m["unreadCount"] = *f.unread
	}
	if f.last != nil {
		m["lastMessage"] = map[string]any{
			"messageId": "msg_" + f.id,
			"content":   "hello " + strconv.Itoa(i),
			"timestamp": f.last.Format("2006-01-02T15:04:05.000Z07:00"),
			"isFromMe":  i%2 == 0,
			"type":      "text",
		}
	}
	return m
}
