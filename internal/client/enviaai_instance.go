package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client/transport"
)

// EnviaAI reads an instance from GET /v1/instances/{id}/status and its
// entry in GET /v1/instances (webhook, settings, creation time), and lists
// the account's instances from the latter. The status endpoint's QR code is
// not decoded: no field here holds it.

type enviaInstanceStatus struct {
	ID            flexString `json:"id"`
	Name          flexString `json:"name"`
	Status        flexString `json:"status"`
	Phone         flexString `json:"phone"`
	ProfileName   flexString `json:"profileName"`
	ProfilePicURL flexString `json:"profilePicUrl"`
	LastSeenAt    flexTime   `json:"lastSeenAt"`
	ConnectedAt   flexTime   `json:"connectedAt"`
	Stats         *struct {
		MessagesSent     flexCount `json:"messagesSent"`
		MessagesReceived flexCount `json:"messagesReceived"`
		ActiveChats      flexCount `json:"activeChats"`
		UnreadMessages   flexCount `json:"unreadMessages"`
	} `json:"stats"`
	Health *struct {
		Uptime              flexNonNegative `json:"uptime"`
		Latency             flexNonNegative `json:"latency"`
		MessageDeliveryRate flexRate        `json:"messageDeliveryRate"`
	} `json:"health"`
}

type enviaInstanceEntry struct {
	ID            flexString `json:"id"`
	Name          flexString `json:"name"`
	Phone         flexString `json:"phone"`
	Status        flexString `json:"status"`
	ProfileName   flexString `json:"profileName"`
	ProfilePicURL flexString `json:"profilePicUrl"`
	CreatedAt     flexTime   `json:"createdAt"`
	LastSeenAt    flexTime   `json:"lastSeenAt"`
	WebhookURL    flexString `json:"webhookUrl"`
	// webhookEvents is not in the reference's listing: it is read only
	// when sent as a list of strings, and any other form is ignored rather
	// than failing the read (see instance()).
	WebhookEvents json.RawMessage `json:"webhookEvents"`
	Settings      *struct {
		AutoRead   flexBool `json:"autoRead"`
		AutoTyping flexBool `json:"autoTyping"`
	} `json:"settings"`
}

type enviaStatusBody struct {
	Success flexBool             `json:"success"`
	Data    *enviaInstanceStatus `json:"data"`
}

type enviaInstancesBody struct {
	Success    flexBool              `json:"success"`
	Data       *[]enviaInstanceEntry `json:"data"`
	Pagination *struct {
		Total   flexCount `json:"total"`
		HasMore flexBool  `json:"hasMore"`
	} `json:"pagination"`
}

var (
	enviaStatusAttributes  = []string{"phone", "profile_name", "profile_pic_url", "connected_at", "last_seen_at", "stats", "health"}
	enviaListingAttributes = []string{"created_at", "webhooks", "auto_read_messages", "auto_typing"}
)

// enviaServerStatuses are the status filters EnviaAI applies itself.
var enviaServerStatuses = []string{StatusConnected, StatusDisconnected, StatusConnecting}

func (e *enviaAI) instanceID(id string) string {
	if id != "" {
		return id
	}
	return e.cfg.InstanceID
}

func (e *enviaAI) needInstance(read, instanceID string) error {
	if e.instanceID(instanceID) == "" {
		return &CredentialsError{Backend: BackendEnviaAI, Read: read, Missing: CredentialInstanceID}
	}
	return nil
}

func (e *enviaAI) header() http.Header {
	return bearer(e.cfg.APIKey)
}

func (e *enviaAI) readInstance(ctx context.Context, h *transport.Transport, instanceID string) (*InstanceRead, error) {
	id := e.instanceID(instanceID)
	if err := e.needInstance("the instance", id); err != nil {
		return nil, err
	}
	if err := checkEnviaInstanceID(id); err != nil {
		return nil, err
	}
	var status enviaInstanceStatus
	var entry *enviaInstanceEntry
	statusPart := e.statusPart(h, id, &status)
	listPart := &endpointRead{name: "GET /v1/instances", attributes: enviaListingAttributes, read: func(ctx context.Context) error {
		var err error
		entry, err = e.findInstance(ctx, h, id)
		return err
	}}
	unread, err := readParts(ctx, statusPart, listPart)
	if err != nil {
		return nil, err
	}
	if listPart.err == nil && entry == nil {
		if statusPart.err != nil {
			return nil, statusPart.err
		}
		// The status endpoint knows the instance, the listing does not.
		unread = append(unread, UnreadPart{Endpoint: listPart.name, Attributes: listPart.attributes, Err: &InstanceNotListedError{Backend: BackendEnviaAI, ID: id}})
	}
	in := Instance{ID: id}
	if entry != nil {
		in = entry.instance()
	}
	if statusPart.err == nil {
		status.merge(&in)
	}
	in.Connected = statusConnected(in.Status)
	return &InstanceRead{Instance: in, Unread: unread}, nil
}

// statusPart reads GET /v1/instances/{id}/status into status.
func (e *enviaAI) statusPart(h *transport.Transport, id string, status *enviaInstanceStatus) *endpointRead {
	return &endpointRead{name: "GET /v1/instances/{id}/status", attributes: enviaStatusAttributes, read: func(ctx context.Context) error {
		a, err := getJSON(ctx, h, e, transport.JoinSegments(e.base, "v1", "instances", id, "status"), e.header())
		if err != nil {
			return err
		}
		var body enviaStatusBody
		if err := decodeEnvia(h, a, &body, e); err != nil {
			return err
		}
		if body.Data == nil {
			return decodeError[enviaStatusBody](h, BackendEnviaAI, a, errNotAnObject, "data")
		}
		*status = *body.Data
		return nil
	}}
}

var _ instanceBackend = (*enviaAI)(nil)

// readListed reads a listed instance's status endpoint; the listing gave
// the rest. A status refused because the instance is not connected costs
// the status attributes only.
func (e *enviaAI) readListed(ctx context.Context, h *transport.Transport, listed *Instance, _ string) (*InstanceRead, error) {
	if err := checkEnviaInstanceID(listed.ID); err != nil {
		return nil, err
	}
	var status enviaInstanceStatus
	part := e.statusPart(h, listed.ID, &status)
	if err := part.read(ctx); err != nil {
		if !disconnected(err) {
			return nil, err
		}
		return &InstanceRead{Instance: Instance{ID: listed.ID}, Unread: []UnreadPart{{Endpoint: part.name, Attributes: part.attributes, Err: err}}}, nil
	}
	in := Instance{ID: listed.ID}
	status.merge(&in)
	in.Connected = statusConnected(in.Status)
	return &InstanceRead{Instance: in}, nil
}

// checkEnviaInstanceID refuses an id that would not stay one path segment.
func checkEnviaInstanceID(id string) error {
	if strings.ContainsAny(id, "/?#%\\") || id == "." || id == ".." {
		return &OptionError{Option: "instance_id", Reason: fmt.Sprintf("%q cannot be an instance id: the instance is named in the request path, so it must not hold /, ?, #, %%, \\ or be . or ..", id)}
	}
	return nil
}

// InstanceNotListedError is an instance the status endpoint knows but the
// listing does not hold.
type InstanceNotListedError struct {
	Backend, ID string
}

func (e *InstanceNotListedError) Error() string {
	return e.Backend + " lists no instance " + strconv.Quote(e.ID) + " among the account's instances"
}

func statusConnected(status *string) *bool {
	if status == nil {
		return nil
	}
	v := *status == StatusConnected
	return &v
}

// merge lays the status endpoint's fields over the listing's: it is the
// fresher source for what both send.
func (r *enviaInstanceStatus) merge(in *Instance) {
	if r.ID.val != "" {
		in.ID = r.ID.val
	}
	for _, f := range []struct {
		dst **string
		src flexString
	}{{&in.Name, r.Name}, {&in.Status, r.Status}, {&in.Phone, r.Phone}, {&in.ProfileName, r.ProfileName}, {&in.ProfilePicURL, r.ProfilePicURL}} {
		if f.src.set {
			*f.dst = f.src.ptr()
		}
	}
	if r.LastSeenAt.set {
		in.LastSeenAt = r.LastSeenAt.ptr()
	}
	in.ConnectedAt = r.ConnectedAt.ptr()
	if s := r.Stats; s != nil {
		in.Stats = &InstanceStats{MessagesSentToday: s.MessagesSent.ptr(), MessagesReceivedToday: s.MessagesReceived.ptr(), ActiveChats: s.ActiveChats.ptr(), UnreadMessages: s.UnreadMessages.ptr()}
	}
	if h := r.Health; h != nil {
		in.Health = &InstanceHealth{UptimeSeconds: h.Uptime.ptr(), LatencyMS: h.Latency.ptr(), MessageDeliveryRate: h.MessageDeliveryRate.ptr()}
	}
}

func (r *enviaInstanceEntry) instance() Instance {
	hooks := map[string]string{}
	if r.WebhookURL.val != "" {
		hooks["all"] = r.WebhookURL.val
	}
	in := Instance{
		ID:            r.ID.val,
		Name:          r.Name.ptr(),
		Status:        r.Status.ptr(),
		Phone:         r.Phone.ptr(),
		ProfileName:   r.ProfileName.ptr(),
		ProfilePicURL: r.ProfilePicURL.ptr(),
		CreatedAt:     r.CreatedAt.ptr(),
		LastSeenAt:    r.LastSeenAt.ptr(),
		Webhooks:      hooks,
	}
	in.Connected = statusConnected(in.Status)
	var events []string
	if json.Unmarshal(r.WebhookEvents, &events) == nil && events != nil {
		in.WebhookEvents = events
	}
	if r.Settings != nil {
		in.AutoReadMessages, in.AutoTyping = r.Settings.AutoRead.ptr(), r.Settings.AutoTyping.ptr()
	}
	return in
}

// decodeEnvia reads an EnviaAI envelope; success false is the API's error.
func decodeEnvia[T any](r redactor, a *transport.Answer, v *T, e *enviaAI) error {
	var head struct {
		Success flexBool `json:"success"`
	}
	if json.Unmarshal(a.Body, &head) == nil && head.Success.set && !head.Success.val {
		return e.apiError(r, a)
	}
	return decodeObject(r, BackendEnviaAI, a, v, nil)
}
