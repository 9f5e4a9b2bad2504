package client

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client/transport"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
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
		p, err := c.api.decode(c.core, &transport.Answer{Status: http.StatusOK, Body: body, Attempts: 1})
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
	p, err := c.api.decode(c.core, &transport.Answer{Status: http.StatusOK, Body: zapiBody(1000), Attempts: 1})
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

// BenchmarkListChatsLatency reads 10,000 chats in pages of 100 from the
// emulator answering each request after 50 ms, and reports the ratio of the
// read's time to the round trips that cannot overlap: the first page, then
// ceil(pages / MaxConcurrentRequests) waves, and the requests each read
// sent (101 pages hold 10,000 chats and the empty page that ends them on
// Z-API).
func BenchmarkListChatsLatency(b *testing.B) {
	benchmarkLatency(b, func(ctx context.Context, c *Client) (int64, error) {
		list, err := c.ListChats(ctx, ListOptions{PageSize: 100})
		if err != nil {
			return 0, err
		}
		return int64(len(list.Chats)), nil
	})
}

// BenchmarkSummarizeChatsLatency is BenchmarkListChatsLatency for a
// summary of the same chats.
func BenchmarkSummarizeChatsLatency(b *testing.B) {
	benchmarkLatency(b, func(ctx context.Context, c *Client) (int64, error) {
		s, err := c.SummarizeChats(ctx, SummaryOptions{})
		if err != nil {
			return 0, err
		}
		return s.Chats, nil
	})
}

func benchmarkLatency(b *testing.B, read func(context.Context, *Client) (int64, error)) {
	const chats, size, latency = 10000, 100, 50 * time.Millisecond
	emu := emulatortest.Start(b, emulator.Options{Chats: chats})
	emu.Inject(emulatortest.Fault{Faults: emulator.Faults{Latency: latency}})
	zapi, _ := NewZAPI(ZAPIConfig{BaseURL: emu.URL, InstanceID: "demo-instance", Token: "demo-token", ClientToken: "demo-client-token"}, HTTPOptions{})
	enviaAI, _ := NewEnviaAI(EnviaAIConfig{BaseURL: emu.URL, APIKey: "demo-api-key", InstanceID: "inst_demo"}, HTTPOptions{})
	pages := (chats + size - 1) / size
	floor := time.Duration((pages+DefaultMaxConcurrentRequests-1)/DefaultMaxConcurrentRequests+1) * latency
	for name, c := range map[string]*Client{"zapi": zapi, "enviaai": enviaAI} {
		b.Run(name, func(b *testing.B) {
			start, sent := time.Now(), emu.Requests()
			for b.Loop() {
				n, err := read(b.Context(), c)
				if err != nil || n != chats {
					b.Fatalf("read %d chats: %v", n, err)
				}
			}
			b.ReportMetric(float64(time.Since(start))/float64(b.N)/float64(floor), "x-floor")
			b.ReportMetric(float64(emu.Requests()-sent)/float64(b.N), "requests/op")
		})
	}
}

// BenchmarkCollect1000 hands 1,000 decoded Z-API chats (ten pages of 100)
// to the collector, as a full read does, with each sink: a list keeps
// every chat, a summary folds them into counts and keeps none.
func BenchmarkCollect1000(b *testing.B) {
	c := newTestZAPI(b, "http://127.0.0.1:1", HTTPOptions{})
	p, err := c.api.decode(c.core, &transport.Answer{Status: http.StatusOK, Body: zapiBody(1000), Attempts: 1})
	if err != nil {
		b.Fatal(err)
	}
	pages := make([]*page, 10)
	for i := range pages {
		pages[i] = &page{chats: p.chats[i*100 : (i+1)*100]}
	}
	for name, newSink := range map[string]func() chatSink{
		"list":    func() chatSink { return &chatSlice{} },
		"summary": func() chatSink { return newChatSummary(true) },
	} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				col := newCollector(BackendZAPI, localWork{}, 100, 0, true, newSink())
				for i, pg := range pages {
					if _, err := col.add(i, pg); err != nil {
						b.Fatal(err)
					}
				}
				if col.matched != 1000 {
					b.Fatalf("collected %d chats", col.matched)
				}
			}
		})
	}
}
