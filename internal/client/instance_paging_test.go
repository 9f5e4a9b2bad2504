package client

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
)

// endlessInstances is a hook that answers every page of an instance
// listing with n new instances, each name padded by pad bytes, and a
// total of total, whatever page was asked for.
func endlessInstances(backend string, n, pad int, total int64, pages *atomic.Int64) emulator.Hook {
	return func(r *http.Request, _ int64) *emulator.Reply {
		if !strings.HasSuffix(r.URL.Path, "/instances") {
			return nil
		}
		page := pages.Add(1)
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"id":"i-%d-%d","name":"%s","status":"connected"}`, page, i, strings.Repeat("n", pad))
		}
		body := `{"total":` + strconv.FormatInt(total, 10) + `,"content":[` + b.String() + `]}`
		if backend == BackendEnviaAI {
			body = `{"success":true,"data":[` + b.String() + `],"pagination":{"total":` + strconv.FormatInt(total, 10) + `,"hasMore":true}}`
		}
		return &emulator.Reply{Status: 200, Body: []byte(body)}
	}
}

func instanceClients(t *testing.T, url string) map[string]*Client {
	return map[string]*Client{BackendZAPI: emuZAPI(t, url, "", emulator.DefaultZAPIPartnerToken), BackendEnviaAI: emuEnviaAI(t, url)}
}

// An instance listing holds what it asked for and no more: a page longer
// than asked is an error, a page's body is capped by the page size, and
// max_results ends the read once it has its instances.
func TestListInstances_BoundedByWhatWasAsked(t *testing.T) {
	t.Parallel()
	for _, backend := range []string{BackendZAPI, BackendEnviaAI} {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			emu := newInstanceEmulator(t, 0)
			c := instanceClients(t, emu.URL)[backend]
			var pages atomic.Int64

			emu.Inject(emulatortest.Fault{Hook: endlessInstances(backend, 2000, 0, 3000, &pages)})
			_, err := c.ListInstances(t.Context(), InstanceListOptions{})
			if e := assertAs[*PagingError](t, err); e.Page != 1 || !strings.Contains(e.Reason, "100 instances were asked for and 2000 came") {
				t.Errorf("a page longer than asked: %v", err)
			}

			pages.Store(0)
			emu.Inject(emulatortest.Fault{Hook: endlessInstances(backend, 100, 80<<10, 100, &pages)})
			_, err = c.ListInstances(t.Context(), InstanceListOptions{})
			if KindOf(err) != KindTooLarge || !strings.Contains(err.Error(), "allowed for a page of 100 instances") {
				t.Errorf("a page's body past its cap: %v", err)
			}

			pages.Store(0)
			emu.Inject(emulatortest.Fault{Hook: endlessInstances(backend, 100, 0, 1_000_000, &pages)})
			list, err := c.ListInstances(t.Context(), InstanceListOptions{MaxResults: 10})
			if err != nil {
				t.Fatal(err)
			}
			if len(list.Instances) != 10 || showInt(list.Total) != "1000000" || pages.Load() != 1 {
				t.Errorf("max_results 10 of a million: %d kept, total %s, %d pages read", len(list.Instances), showInt(list.Total), pages.Load())
			}

			pages.Store(0)
			list, err = c.ListInstances(t.Context(), InstanceListOptions{MaxBytes: 1000, SizeOf: func(*Instance) int { return 100 }})
			if e := assertAs[*InstancesTooLargeError](t, err); e.Instances != 11 || pages.Load() != 1 || list != nil {
				t.Errorf("past MaxBytes: %v, %d pages read", err, pages.Load())
			}
		})
	}
}
