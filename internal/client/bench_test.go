package client

import (
	"encoding/json"
	"net/http"
	"testing"
)

func zapiBody(n int) []byte {
	raw := make([]map[string]any, 0, n)
	for i, c := range makeChats(n) {
		raw = append(raw, c.zapiJSON(i))
	}
	body, err := json.Marshal(raw)
	if err != nil {
		panic(err)
	}
	return body
}

func enviaBody(n int) []byte {
	data := make([]map[string]any, 0, n)
	for i, c := range makeChats(n) {
		data = append(data, c.enviaJSON(i))
	}
	body, err := json.Marshal(map[string]any{
		"success":    true,
		"data":       data,
		"pagination": map[string]any{"total": n, "limit": n, "offset": 0, "hasMore": false},
	})
	if err != nil {
		panic(err)
	}
	return body
}

func benchmarkDecode(b *testing.B, c *Client, body []byte) {
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		p, err := c.api.decode(c, &answer{status: http.StatusOK, body: body, attempts: 1})
		if err != nil || len(p.chats) != 1000 {
			b.Fatalf("decode: %v", err)
		}
	}
}

func BenchmarkDecodeZAPI1000(b *testing.B) {
	body := zapiBody(1000)
	benchmarkDecode(b, newTestZAPI(b, "http://127.0.0.1:1", HTTPOptions{}), body)
}

func BenchmarkDecodeEnviaAI1000(b *testing.B) {
	body := enviaBody(1000)
	benchmarkDecode(b, newTestEnviaAI(b, "http://127.0.0.1:1", HTTPOptions{}), body)
}

func BenchmarkSortChats1000(b *testing.B) {
	c := newTestZAPI(b, "http://127.0.0.1:1", HTTPOptions{})
	p, err := c.api.decode(c, &answer{status: http.StatusOK, body: zapiBody(1000), attempts: 1})
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]Chat, len(p.chats))
	for _, by := range SortFields {
		b.Run(string(by), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				copy(buf, p.chats)
				sortChats(buf, by, Ascending)
			}
		})
	}
}
