package emulator

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
)

// response is a whole answer, built before anything is written so faults can
// rewrite it.
type response struct {
	status int
	header http.Header
	body   []byte
}

func jsonResponse(status int, body []byte) response {
	return response{status: status, header: http.Header{"Content-Type": {"application/json; charset=utf-8"}}, body: body}
}

func (r response) write(w http.ResponseWriter) {
	maps.Copy(w.Header(), r.header)
	w.WriteHeader(r.status)
	_, _ = w.Write(r.body)
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only values built in this package are encoded
	}
	return b
}

// appendList appends pre-encoded objects as an array, or as {"chats":[...]}
// for the "object" fault.
func appendList(b []byte, items [][]byte, asObject bool) []byte {
	n := 128 // room for an envelope around the list
	for _, it := range items {
		n += len(it) + 1
	}
	b = slices.Grow(b, n)
	if asObject {
		b = append(b, `{"chats":`...)
	}
	b = append(b, '[')
	for i, it := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, it...)
	}
	b = append(b, ']')
	if asObject {
		b = append(b, '}')
	}
	return b
}

// decodeAll leaves nil in place of an injected item that is not an object.
func decodeAll(items [][]byte) []map[string]any {
	out := make([]map[string]any, len(items))
	for i, it := range items {
		if json.Unmarshal(it, &out[i]) != nil {
			out[i] = nil
		}
	}
	return out
}
