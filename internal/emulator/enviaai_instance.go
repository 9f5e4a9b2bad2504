package emulator

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

const enviaInstancesPath = "/v1/instances"

// enviaInstanceAPI serves EnviaAI's GET /v1/instances and
// GET /v1/instances/{id}/status.
type enviaInstanceAPI struct {
	apiKey string
	// mu guards the settings of instances, which PATCH changes
	// (enviaai_settings.go).
	mu        sync.RWMutex
	instances []*enviaInstanceInfo
}

func newEnviaInstances(opts Options) *enviaInstanceAPI {
	return &enviaInstanceAPI{apiKey: opts.EnviaAI.APIKey, instances: enviaInstances(opts)}
}

// parseEnviaInstancePath reads /v1/instances or /v1/instances/{id}/status;
// id is "" for the listing.
func parseEnviaInstancePath(path string) (id string, ok bool) {
	if path == enviaInstancesPath {
		return "", true
	}
	rest, found := strings.CutPrefix(path, enviaInstancesPath+"/")
	id, found2 := strings.CutSuffix(rest, "/status")
	return id, found && found2 && id != "" && !strings.Contains(id, "/")
}

func (e *enviaInstanceAPI) serve(r *http.Request, f Faults) response {
	if r.Header.Get("Authorization") != "Bearer "+e.apiKey {
		return e.errorResponse(apiError{status: http.StatusUnauthorized, code: "invalid_api_key", message: "Invalid or missing API key"})
	}
	if id, ok := parseEnviaInstanceWrite(r.URL.Path); ok {
		return e.patch(r, f, id)
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	id, _ := parseEnviaInstancePath(r.URL.Path)
	if id == "" {
		return e.list(r, f)
	}
	for _, in := range e.instances {
		if in.id != id {
			continue
		}
		if in.statusRefused {
			return e.errorResponse(apiError{status: http.StatusConflict, code: "instance_disconnected", message: "The WhatsApp instance is not connected"})
		}
		return jsonResponse(http.StatusOK, mustJSON(map[string]any{"success": true, "data": in.statusWire()}))
	}
	return e.errorResponse(apiError{status: http.StatusNotFound, code: "instance_not_found", message: "Instance not found"})
}

func (e *enviaInstanceAPI) list(r *http.Request, f Faults) response {
	q := r.URL.Query()
	invalid := func(msg string) response {
		return e.errorResponse(apiError{status: http.StatusBadRequest, code: "invalid_parameters", message: msg})
	}
	status, ok := oneOf(q, "status", "all", "connected", "disconnected", "connecting")
	if !ok {
		return invalid("status must be connected, disconnected, connecting or all")
	}
	limit, ok := intParam(q, "limit", enviaDefaultLimit)
	if !ok || limit < 1 || limit > enviaMaxLimit {
		return invalid("limit must be a number from 1 to 100")
	}
	offset, ok := intParam(q, "offset", 0)
	if !ok || offset < 0 {
		return invalid("offset must be a number of at least 0")
	}
	var match []*enviaInstanceInfo
	for _, in := range e.instances {
		if status == "all" || in.status == status {
			match = append(match, in)
		}
	}
	start := min(offset, len(match))
	end := min(start+limit, len(match))
	items := make([][]byte, 0, end-start)
	for _, in := range match[start:end] {
		items = append(items, mustJSON(in.listWire()))
	}
	body := appendList([]byte(`{"success":true,"data":`), items, f.Malformed == MalformedObject)
	body = fmt.Appendf(body, `,"pagination":{"total":%d,"limit":%d,"offset":%d,"hasMore":%t}}`, len(match), limit, offset, end < len(match))
	return jsonResponse(http.StatusOK, body)
}

func (e *enviaInstanceAPI) errorResponse(ae apiError) response {
	return (&enviaAPI{}).errorResponse(ae)
}

// orNull sends "" and the zero time as null.
func orNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (in *enviaInstanceInfo) common() map[string]any {
	m := map[string]any{
		"id": in.id, "name": in.name, "status": in.status, "phone": orNull(in.phone),
		"profileName": orNull(in.profileName), "profilePicUrl": orNull(in.profilePic), "lastSeenAt": nil,
	}
	if !in.lastSeen.IsZero() {
		m["lastSeenAt"] = iso(in.lastSeen)
	}
	return m
}

func (in *enviaInstanceInfo) listWire() map[string]any {
	m := in.common()
	m["createdAt"] = iso(in.created)
	m["webhookUrl"] = orNull(in.webhook)
	// webhookEvents are kept, never listed: the reference documents them
	// in the PATCH body only.
	m["settings"] = map[string]any{"autoRead": in.autoRead, "autoTyping": in.autoTyping}
	return m
}

func (in *enviaInstanceInfo) statusWire() map[string]any {
	m := in.common()
	m["qrCode"], m["qrCodeExpiresAt"], m["connectedAt"] = nil, nil, nil
	if in.qrCode != "" {
		m["qrCode"], m["qrCodeExpiresAt"] = in.qrCode, iso(epoch.Add(time.Minute))
	}
	if !in.connectedAt.IsZero() {
		m["connectedAt"] = iso(in.connectedAt)
	}
	if in.status == "connected" {
		m["stats"] = map[string]any{"messagesSent": in.sent, "messagesReceived": in.received, "activeChats": in.active, "unreadMessages": in.unread}
		m["health"] = map[string]any{"uptime": in.uptime, "latency": in.latency, "messageDeliveryRate": in.deliveryRate}
	}
	return m
}
