package client

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator/emulatortest"
)

// rewrite is a hook that passes the requests whose path ends in suffix
// through the emulator and changes its JSON answer with edit.
func rewrite(emu *emulatortest.Server, suffix string, edit func(body map[string]any)) emulator.Hook {
	return func(r *http.Request, _ int64) *emulator.Reply {
		if r.Method != http.MethodGet || !strings.HasSuffix(r.URL.Path, suffix) {
			return nil
		}
		rep := emu.Answer(r)
		var body map[string]any
		if json.Unmarshal(rep.Body, &body) != nil {
			return &rep
		}
		edit(body)
		rep.Body, _ = json.Marshal(body)
		return &rep
	}
}

// at is the object at path in body, the path's objects made as needed;
// a list on the path is entered at its first item.
func at(body map[string]any, path ...string) map[string]any {
	m := body
	for _, step := range path {
		switch next := m[step].(type) {
		case map[string]any:
			m = next
		case []any:
			m = next[0].(map[string]any)
		default:
			child := map[string]any{}
			m[step] = child
			m = child
		}
	}
	return m
}

// A value an instance cannot have is an error that names its field: a
// negative count, uptime or latency, a rate outside 0 to 1, a time outside
// the years 1970 to 9999 once in UTC.
func TestInstances_ImpossibleValuesAreErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, backend, endpoint string
		object                  []string
		field                   string
		value                   any
		want                    string // the DecodeError's Field
	}{
		{"unread messages", BackendEnviaAI, "/status", []string{"data", "stats"}, "unreadMessages", -3, "data.stats.unreadMessages"},
		{"messages sent", BackendEnviaAI, "/status", []string{"data", "stats"}, "messagesSent", "-1", "data.stats.messagesSent"},
		{"active chats", BackendEnviaAI, "/status", []string{"data", "stats"}, "activeChats", -1, "data.stats.activeChats"},
		{"uptime", BackendEnviaAI, "/status", []string{"data", "health"}, "uptime", -86400, "data.health.uptime"},
		{"latency", BackendEnviaAI, "/status", []string{"data", "health"}, "latency", -5, "data.health.latency"},
		{"delivery rate above 1", BackendEnviaAI, "/status", []string{"data", "health"}, "messageDeliveryRate", 7.5, "data.health.messageDeliveryRate"},
		{"delivery rate below 0", BackendEnviaAI, "/status", []string{"data", "health"}, "messageDeliveryRate", -0.1, "data.health.messageDeliveryRate"},
		{"connected after 9999", BackendEnviaAI, "/status", []string{"data"}, "connectedAt", "9999-12-31T23:58:59.000-01:00", "data.connectedAt"},
		{"last seen before year 0", BackendEnviaAI, "/status", []string{"data"}, "lastSeenAt", "0000-01-01T00:00:00.000+01:00", "data.lastSeenAt"},
		{"last seen before 1970", BackendEnviaAI, "/status", []string{"data"}, "lastSeenAt", "1969-12-31T23:59:59Z", "data.lastSeenAt"},
		{"created after 9999", BackendEnviaAI, "/v1/instances", []string{"data"}, "createdAt", "9999-12-31T23:00:00-02:00", "data[0].createdAt"},
		{"listing total", BackendEnviaAI, "/v1/instances", []string{"pagination"}, "total", -1, "pagination.total"},
		{"due before 1970", BackendZAPI, "/me", nil, "due", "0000-01-01T00:00:00+01:00", "due"},
		{"due after 9999", BackendZAPI, "/me", nil, "due", "9999-12-31T23:30:00-00:45", "due"},
		{"negative queue", BackendZAPI, "/queue/count", nil, "size", -1, "size"},
		{"negative queue as a string", BackendZAPI, "/queue/count", nil, "size", "-4", "size"},
		{"fractional queue", BackendZAPI, "/queue/count", nil, "size", 1.5, "size"},
		{"queue in words", BackendZAPI, "/queue/count", nil, "size", "many", "size"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			emu := newInstanceEmulator(t, 0)
			emu.Inject(emulatortest.Fault{Hook: rewrite(emu.Server, tc.endpoint, func(body map[string]any) { at(body, tc.object...)[tc.field] = tc.value })})
			c := emuEnviaAI(t, emu.URL)
			if tc.backend == BackendZAPI {
				c = emuZAPI(t, emu.URL, "demo-instance", "")
			}
			read, err := c.ReadInstance(t.Context(), "")
			if err == nil {
				t.Fatalf("no error; read %s", showInstance(read.Instance))
			}
			if e := assertAs[*DecodeError](t, err); e.Field != tc.want {
				t.Errorf("field %q, want %q: %v", e.Field, tc.want, err)
			}
		})
	}
}

// The queue count is read as a number or a numeric string; a body without
// it leaves the count nil (the reference names no other field).
func TestReadInstance_ZAPIQueueCountForms(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		size any
		want string
	}{
		"number": {float64(12), "12"}, "string": {"7", "7"}, "zero": {"0", "0"}, "whole float": {3.0, "3"},
		"null": {nil, "<nil>"}, "absent": {"absent", "<nil>"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			emu := newInstanceEmulator(t, 0)
			emu.Inject(emulatortest.Fault{Hook: rewrite(emu.Server, "/queue/count", func(body map[string]any) {
				if tc.size == "absent" {
					delete(body, "size")
					return
				}
				body["size"] = tc.size
			})})
			read, err := emuZAPI(t, emu.URL, "demo-instance", "").ReadInstance(t.Context(), "")
			if err != nil {
				t.Fatal(err)
			}
			if got := showInt(read.Instance.QueuedMessages); got != tc.want || len(read.Unread) != 0 {
				t.Errorf("queued = %s, unread %v; want %s", got, read.Unread, tc.want)
			}
		})
	}
}

// A queue count the API refuses or fails to give costs queued_messages
// only, with the reason in Unread; credentials refused, an unknown
// instance, or no answer at all stay the read's error.
func TestReadInstance_ZAPIQueueRefused(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		status  int
		body    string
		partial bool
	}{
		"refused":               {http.StatusBadRequest, `{"error":"Queue not available"}`, true},
		"server failure":        {http.StatusInternalServerError, `{"error":"boom"}`, true},
		"not allowed":           {http.StatusMethodNotAllowed, `{"error":"Method not allowed"}`, true},
		"2xx error":             {http.StatusOK, `{"error":"Queue not available"}`, true},
		"client token refused":  {http.StatusForbidden, `{"error":"Client-Token not allowed"}`, false},
		"unknown instance":      {http.StatusNotFound, `{"error":"Instance not found"}`, false},
		"credentials refused":   {http.StatusUnauthorized, `{"error":"Unauthorized"}`, false},
		"not the expected JSON": {http.StatusOK, `[1]`, false},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			emu := newInstanceEmulator(t, 0)
			emu.Inject(emulatortest.Fault{Hook: func(r *http.Request, _ int64) *emulator.Reply {
				if strings.HasSuffix(r.URL.Path, "/queue/count") {
					return &emulator.Reply{Status: tc.status, Body: []byte(tc.body)}
				}
				return nil
			}})
			opts := testOptions()
			opts.MaxRetries = 0
			c, err := NewZAPI(ZAPIConfig{BaseURL: emu.URL, InstanceID: "demo-instance", Token: "demo-token", ClientToken: "demo-client-token"}, opts)
			if err != nil {
				t.Fatal(err)
			}
			read, err := c.ReadInstance(t.Context(), "")
			if !tc.partial {
				if err == nil {
					t.Fatalf("no error; read %s", showInstance(read.Instance))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if read.Instance.QueuedMessages != nil || read.Instance.Name == nil || read.Instance.Connected == nil {
				t.Errorf("instance %s", showInstance(read.Instance))
			}
			if len(read.Unread) != 1 || read.Unread[0].Endpoint != "GET /queue/count" || !slices.Equal(read.Unread[0].Attributes, []string{"queued_messages"}) {
				t.Errorf("Unread = %+v", read.Unread)
			}
		})
	}
	t.Run("RefuseQueue fault", func(t *testing.T) {
		t.Parallel()
		emu := newInstanceEmulator(t, 0)
		emu.Inject(emulatortest.Fault{Faults: emulator.Faults{RefuseQueue: true}})
		read, err := emuZAPI(t, emu.URL, emulator.ZAPIDisconnectedInstance, "").ReadInstance(t.Context(), "")
		if err != nil {
			t.Fatal(err)
		}
		// /me refused for the disconnection, the queue for its own reason.
		if len(read.Unread) != 2 || read.Instance.Connected == nil {
			t.Errorf("Unread = %+v, instance %s", read.Unread, showInstance(read.Instance))
		}
	})
}
