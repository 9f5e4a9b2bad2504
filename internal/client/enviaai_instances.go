package client

import (
	"context"
	"net/url"
	"slices"
	"strconv"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client/transport"
)

// The instance listing of EnviaAI, GET /v1/instances, read page by page.

// enviaInstancePageSize is the listing's page length (its largest limit).
const enviaInstancePageSize = MaxPageSize

// findInstance pages through the listing until it meets the instance;
// nil when the listing does not hold it.
func (e *enviaAI) findInstance(ctx context.Context, h *transport.Transport, id string) (*enviaInstanceEntry, error) {
	var found *enviaInstanceEntry
	_, err := readInstancePages(ctx, h, BackendEnviaAI, enviaInstancePageSize, discard{}, func(ctx context.Context, h *transport.Transport, index int) (*instancePage, error) {
		entries, p, err := e.instancePage(ctx, h, index, "")
		for i := range entries {
			if entries[i].ID.val == id {
				found = &entries[i]
				p.last = true
			}
		}
		return p, err
	})
	return found, err
}

// discard is a sink that keeps no instance.
type discard struct{}

func (discard) keep(*Instance) error { return nil }
func (discard) enough() bool         { return false }

// filtersStatus: the listing filters on every status but qr_pending.
func (e *enviaAI) filtersStatus(status string) bool {
	return slices.Contains(enviaServerStatuses, status)
}

func (e *enviaAI) listInstances(ctx context.Context, h *transport.Transport, opts InstanceListOptions, sink instanceSink) (*instanceListing, error) {
	serverStatus := ""
	if e.filtersStatus(opts.Status) {
		serverStatus = opts.Status
	}
	return readInstancePages(ctx, h, BackendEnviaAI, enviaInstancePageSize, sink, func(ctx context.Context, h *transport.Transport, index int) (*instancePage, error) {
		_, p, err := e.instancePage(ctx, h, index, serverStatus)
		return p, err
	})
}

// instancePage reads one page of GET /v1/instances.
func (e *enviaAI) instancePage(ctx context.Context, h *transport.Transport, index int, status string) ([]enviaInstanceEntry, *instancePage, error) {
	q := url.Values{"limit": {strconv.Itoa(enviaInstancePageSize)}, "offset": {strconv.Itoa(index * enviaInstancePageSize)}}
	if status != "" {
		q.Set("status", status)
	}
	u := transport.JoinSegments(e.base, "v1", "instances")
	u.RawQuery = q.Encode()
	a, err := getJSON(ctx, h, e, u, e.header())
	if err != nil {
		return nil, nil, err
	}
	var body enviaInstancesBody
	if err := decodeEnvia(h, a, &body, e); err != nil {
		return nil, nil, err
	}
	if body.Data == nil {
		return nil, nil, decodeError[enviaInstancesBody](h, BackendEnviaAI, a, errNullInstanceList, "data")
	}
	p := &instancePage{last: true}
	if body.Pagination != nil {
		p.total = body.Pagination.Total.ptr()
		p.last = !body.Pagination.HasMore.val
	}
	for i := range *body.Data {
		entry := &(*body.Data)[i]
		if entry.ID.val == "" {
			return nil, nil, &DecodeError{Backend: BackendEnviaAI, StatusCode: a.Status, Index: -1, Field: "data[" + strconv.Itoa(i) + "].id", Err: errMissingInstanceID}
		}
		p.instances = append(p.instances, entry.instance())
	}
	return *body.Data, p, nil
}
