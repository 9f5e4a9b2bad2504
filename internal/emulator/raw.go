package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Injected chats (Options.ZAPIChats, Options.EnviaAIChats) are sent byte for
// byte, whatever they hold: a malformed or hostile value reaches the client
// as the API would send it. EnviaAI still filters, sorts and pages them by
// the fields it can read: contactName and phone as strings, unreadCount as a
// number, lastMessage.timestamp as RFC 3339. A field missing or of another
// type counts as absent (last in both sort orders; never matches search;
// excluded by unreadOnly). Like generated chats, they are kept in the
// default order (lastMessageAt desc), ties in the order given.

func cloneRaw(raw []json.RawMessage) [][]byte {
	out := make([][]byte, len(raw))
	for i, r := range raw {
		out[i] = bytes.Clone(r)
	}
	return out
}

func newRawEnviaInstance(raw []json.RawMessage) *enviaInstance {
	chats := make([]enviaChat, len(raw))
	for i, r := range raw {
		chats[i] = indexRaw(bytes.Clone(r))
	}
	slices.SortStableFunc(chats, compareChats(sortByLastMessageAt, true))
	return &enviaInstance{chats: chats, cache: map[listKey][]int32{}}
}

// indexRaw reads what queries need from an injected chat, leniently.
func indexRaw(wire []byte) enviaChat {
	c := enviaChat{wire: wire, noUnread: true}
	var m map[string]any
	if json.Unmarshal(wire, &m) != nil {
		return c
	}
	if s, ok := m["contactName"].(string); ok {
		c.name = strings.ToLower(s)
	}
	c.phone, _ = m["phone"].(string)
	if n, ok := m["unreadCount"].(float64); ok {
		c.unread, c.noUnread = int(max(min(n, math.MaxInt32), math.MinInt32)), false
	}
	if lm, ok := m["lastMessage"].(map[string]any); ok {
		if ts, ok := lm["timestamp"].(string); ok {
			if t, err := time.Parse(time.RFC3339Nano, ts); err == nil {
				c.lastAt = t.UnixMilli()
			}
		}
	}
	return c
}

// EnviaAIList returns every chat an EnviaAI list query selects (instanceId,
// search, unreadOnly, sortBy, sortOrder), in the order its pages serve them,
// whatever limit and offset say; decoded like EnviaAIChats. It fails as the
// API would: on a parameter it refuses or an instance it does not have.
func (s *Server) EnviaAIList(query url.Values) ([]map[string]any, error) {
	req, aerr := parseListRequest(query)
	if aerr == nil {
		var in *enviaInstance
		if in, aerr = s.envia.instance(req.instanceID); aerr == nil {
			idx := in.order(req.key)
			wires := make([][]byte, len(idx))
			for i, j := range idx {
				wires[i] = in.chats[j].wire
			}
			return decodeAll(wires), nil
		}
	}
	return nil, errors.New(aerr.code + ": " + aerr.message)
}
