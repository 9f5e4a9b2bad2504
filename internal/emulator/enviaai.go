package emulator

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	enviaAIPath         = "/v1/messages/chats"
	enviaDefaultLimit   = 50
	enviaMaxLimit       = 100
	maxCachedQueries    = 256
	isoLayout           = "2006-01-02T15:04:05.000Z07:00"
	sortByLastMessageAt = "lastMessageAt"
	sortByUnreadCount   = "unreadCount"
	sortByContactName   = "contactName"
)

// enviaAPI serves GET /v1/messages/chats.
type enviaAPI struct {
	apiKey    string
	instances map[string]*enviaInstance
	// offline are the account's instances that are not connected: their
	// chats cannot be read.
	offline map[string]bool
}

// enviaInstance holds one instance's chats in default order and the orders
// of the queries asked so far, so a page is a slice and a concatenation.
type enviaInstance struct {
	chats []enviaChat
	mu    sync.Mutex
	cache map[listKey][]int32
}

// enviaChat is an encoded chat plus the fields queries filter and sort on.
type enviaChat struct {
	wire   []byte
	name   string // lower-cased contactName, "" when absent
	phone  string
	lastAt int64 // last message in Unix ms, 0 when there is none
	unread int
	// noUnread marks an injected chat without a numeric unreadCount.
	noUnread bool
}

type listKey struct {
	search     string // lower-cased
	unreadOnly bool
	sortBy     string
	desc       bool
}

type listRequest struct {
	instanceID    string
	key           listKey
	limit, offset int
}

// newEnviaAI gives the first instance opts.Chats chats and every other one a
// tenth of that, each from its own stream of the seed.
func newEnviaAI(opts Options) *enviaAPI {
	e := &enviaAPI{apiKey: opts.EnviaAI.APIKey, instances: map[string]*enviaInstance{}, offline: map[string]bool{}}
	for _, in := range enviaInstances(opts) {
		if in.status != "connected" {
			e.offline[in.id] = true
		}
	}
	for i, id := range opts.EnviaAI.InstanceIDs {
		if raw, ok := opts.EnviaAIChats[id]; ok {
			e.instances[id] = newRawEnviaInstance(raw)
			continue
		}
		n := opts.Chats
		var unread *int
		if i > 0 {
			n = opts.Chats/10 + 1
		} else {
			unread = opts.Unread
		}
		e.instances[id] = newEnviaInstance(opts.Seed, id, n, unread)
	}
	return e
}

// newEnviaInstance generates n chats; unread, when not nil, replaces their
// unread counts (Options.Unread).
func newEnviaInstance(seed int64, id string, n int, unread *int) *enviaInstance {
	g := newGenerator(seed, "enviaai/"+id)
	wires := make([]enviaWire, n)
	for i := range wires {
		wires[i] = g.enviaWire()
		if i < len(enviaShowcase) {
			enviaShowcase[i](g, &wires[i])
		}
	}
	if unread != nil {
		spread(*unread, n, func(i, u int) { wires[i].UnreadCount = u })
	}
	chats := make([]enviaChat, n)
	for i := range wires {
		chats[i] = indexChat(wires[i])
	}
	slices.SortStableFunc(chats, compareChats(sortByLastMessageAt, true))
	return &enviaInstance{chats: chats, cache: map[listKey][]int32{}}
}

func indexChat(w enviaWire) enviaChat {
	c := enviaChat{wire: mustJSON(w), name: strings.ToLower(w.ContactName), phone: w.Phone, unread: w.UnreadCount}
	if w.LastMessage != nil {
		t, _ := time.Parse(isoLayout, w.LastMessage.Timestamp) // written by iso below
		c.lastAt = t.UnixMilli()
	}
	return c
}

func (e *enviaAPI) serve(r *http.Request, f Faults) response {
	if r.Header.Get("Authorization") != "Bearer "+e.apiKey {
		return e.errorResponse(apiError{status: http.StatusUnauthorized, code: "invalid_api_key", message: "Invalid or missing API key"})
	}
	req, err := parseListRequest(r.URL.Query())
	if err != nil {
		return e.errorResponse(*err)
	}
	in, err := e.instance(req.instanceID)
	if err != nil {
		return e.errorResponse(*err)
	}
	idx := in.order(req.key)
	start := min(req.offset, len(idx))
	end := min(start+req.limit, len(idx))
	items := make([][]byte, 0, end-start)
	for _, i := range idx[start:end] {
		items = append(items, in.chats[i].wire)
	}
	total := len(idx)
	if f.EnviaAIUnfilteredTotal {
		total = len(in.chats)
	}
	body := appendList([]byte(`{"success":true,"data":`), items, f.Malformed == MalformedObject)
	body = fmt.Appendf(body, `,"pagination":{"total":%d,"limit":%d,"offset":%d,"hasMore":%t}}`,
		total, req.limit, req.offset, end < len(idx))
	return jsonResponse(http.StatusOK, body)
}

// instance answers 409 instance_disconnected for an instance of the
// account that is not connected (disconnected, connecting or waiting for
// its QR code: the reference's "The WhatsApp instance is not connected"):
// the request conflicts with the instance's state, and a 5xx would invite
// pointless retries. Only an id the account lacks is invalid_instance.
func (e *enviaAPI) instance(id string) (*enviaInstance, *apiError) {
	if e.offline[id] {
		return nil, &apiError{status: http.StatusConflict, code: "instance_disconnected", message: "The WhatsApp instance is not connected"}
	}
	if in := e.instances[id]; in != nil {
		return in, nil
	}
	return nil, &apiError{status: http.StatusNotFound, code: "invalid_instance", message: "The instance ID is invalid or doesn't exist"}
}

func (e *enviaAPI) errorResponse(ae apiError) response {
	type detail struct {
		Code       string `json:"code"`
		Message    string `json:"message"`
		RetryAfter int    `json:"retryAfter,omitempty"`
		// RequestID is what EnviaAI's support asks for; the emulator's
		// names the code, so that answers stay byte-identical.
		RequestID string `json:"requestId"`
	}
	body := struct {
		Success bool   `json:"success"`
		Error   detail `json:"error"`
	}{Error: detail{Code: ae.code, Message: ae.message, RetryAfter: ae.retryAfter, RequestID: "req_" + ae.code}}
	return jsonResponse(ae.status, mustJSON(body))
}

func parseListRequest(q url.Values) (listRequest, *apiError) {
	invalid := func(msg string) (listRequest, *apiError) {
		return listRequest{}, &apiError{status: http.StatusBadRequest, code: "invalid_parameters", message: msg}
	}
	req := listRequest{instanceID: q.Get("instanceId")}
	var ok bool
	if req.instanceID == "" {
		return invalid("instanceId is required")
	}
	if req.limit, ok = intParam(q, "limit", enviaDefaultLimit); !ok || req.limit < 1 || req.limit > enviaMaxLimit {
		return invalid("limit must be a number from 1 to 100")
	}
	if req.offset, ok = intParam(q, "offset", 0); !ok || req.offset < 0 {
		return invalid("offset must be a number of at least 0")
	}
	unread, ok := oneOf(q, "unreadOnly", "false", "true")
	if !ok {
		return invalid("unreadOnly must be true or false")
	}
	if req.key.sortBy, ok = oneOf(q, "sortBy", sortByLastMessageAt, sortByUnreadCount, sortByContactName); !ok {
		return invalid("sortBy must be lastMessageAt, unreadCount or contactName")
	}
	order, ok := oneOf(q, "sortOrder", "desc", "asc")
	if !ok {
		return invalid("sortOrder must be asc or desc")
	}
	req.key.unreadOnly, req.key.desc = unread == "true", order == "desc"
	req.key.search = strings.ToLower(q.Get("search"))
	return req, nil
}

// intParam reads an optional integer; an empty value means the default.
func intParam(q url.Values, name string, def int) (int, bool) {
	v := q.Get(name)
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}

// oneOf reads an optional enum whose first value is the default.
func oneOf(q url.Values, name string, values ...string) (string, bool) {
	v := q.Get(name)
	if v == "" {
		return values[0], true
	}
	return v, slices.Contains(values, v)
}

// order returns the chat indexes a query selects, in its order. Two requests
// racing on a new key may both compute it; the result is the same.
func (in *enviaInstance) order(k listKey) []int32 {
	in.mu.Lock()
	idx, ok := in.cache[k]
	in.mu.Unlock()
	if ok {
		return idx
	}
	idx = in.filterSort(k)
	in.mu.Lock()
	defer in.mu.Unlock()
	if len(in.cache) >= maxCachedQueries { // search terms are unbounded
		clear(in.cache)
	}
	in.cache[k] = idx
	return idx
}

func (in *enviaInstance) filterSort(k listKey) []int32 {
	idx := make([]int32, 0, len(in.chats))
	for i := range in.chats {
		c := &in.chats[i]
		if k.unreadOnly && c.unread == 0 {
			continue
		}
		if k.search != "" && !strings.Contains(c.name, k.search) && !strings.Contains(c.phone, k.search) {
			continue
		}
		idx = append(idx, int32(i))
	}
	compare := compareChats(k.sortBy, k.desc)
	slices.SortStableFunc(idx, func(a, b int32) int { return compare(in.chats[a], in.chats[b]) })
	return slices.Clip(idx)
}

// compareChats orders by one field; chats without the field go last in both
// orders, and the sort being stable keeps ties in the default order.
func compareChats(sortBy string, desc bool) func(a, b enviaChat) int {
	return func(a, b enviaChat) int {
		switch sortBy {
		case sortByUnreadCount:
			return directed(a.noUnread, b.noUnread, cmp.Compare(a.unread, b.unread), desc)
		case sortByContactName:
			return directed(a.name == "", b.name == "", strings.Compare(a.name, b.name), desc)
		}
		return directed(a.lastAt == 0, b.lastAt == 0, cmp.Compare(a.lastAt, b.lastAt), desc)
	}
}

func directed(aMissing, bMissing bool, c int, desc bool) int {
	switch {
	case aMissing && bMissing:
		return 0
	case aMissing:
		return 1
	case bMissing:
		return -1
	case desc:
		return -c
	}
	return c
}
