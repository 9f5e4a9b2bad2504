package client

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client/transport"
)

// ZAPIConfig locates and authenticates one Z-API instance.
type ZAPIConfig struct {
	BaseURL    string
	InstanceID string
	// Token is the instance token; Z-API puts it in the URL path, so it is
	// redacted from every error and log line.
	Token string
	// ClientToken is the account security token, sent as Client-Token.
	ClientToken string
	// PartnerToken is the partner account's token, sent as Authorization:
	// Bearer to the instance listing only. With it, InstanceID and Token
	// may be empty: then only ListInstances works.
	PartnerToken string
}

// DefaultZAPIBaseURL is Z-API's public endpoint.
const DefaultZAPIBaseURL = "https://api.z-api.io"

// NewZAPI returns a client for one Z-API instance.
func NewZAPI(cfg ZAPIConfig, opts HTTPOptions) (*Client, error) {
	base, err := parseBaseURL(cfg.BaseURL, DefaultZAPIBaseURL)
	if err != nil {
		return nil, err
	}
	if err := errors.Join(
		checkCredential("instance ID", cfg.InstanceID, CheckPathCredential),
		checkCredential("token", cfg.Token, CheckPathCredential),
		checkCredential("client token", cfg.ClientToken, CheckHeaderCredential),
		checkCredential("partner token", cfg.PartnerToken, CheckHeaderCredential),
	); err != nil {
		return nil, err
	}
	z := &zapi{cfg: cfg, base: base, chatsURL: transport.JoinSegments(base, "instances", cfg.InstanceID, "token", cfg.Token, "chats")}
	return newClient(z, newTransport(BackendZAPI, opts, nil, cfg.Token, cfg.ClientToken, cfg.PartnerToken)), nil
}

// BackendZAPI names Z-API in messages.
const BackendZAPI = "Z-API"

type zapi struct {
	cfg      ZAPIConfig
	base     *url.URL
	chatsURL *url.URL
}

func (z *zapi) name() string { return BackendZAPI }

// Z-API pages chats by page number and does everything else on the
// client; it reports the chat flags (archived, pinned, muted, spam); its
// partner listing searches instances itself.
func (z *zapi) serves() capabilities {
	return capabilities{flags: true, instanceSearch: true, phoneKeys: true}
}

func (z *zapi) request(q pageQuery) (*url.URL, http.Header) {
	u := *z.chatsURL
	u.RawQuery = url.Values{
		"page":     {strconv.Itoa(q.index + 1)},
		"pageSize": {strconv.Itoa(q.size)},
	}.Encode()
	return &u, z.instanceHeader()
}

// zapiChat is one chat as Z-API sends it; see flex.go for the forms each
// field arrives in.
type zapiChat struct {
	Phone               flexString `json:"phone"`
	Name                flexString `json:"name"`
	IsGroup             flexBool   `json:"isGroup"`
	IsGroupAnnouncement flexBool   `json:"isGroupAnnouncement"`
	Archived            flexBool   `json:"archived"`
	Pinned              flexBool   `json:"pinned"`
	IsMuted             flexBool   `json:"isMuted"`
	MuteEndTime         muteEnd    `json:"muteEndTime"`
	IsMarkedSpam        flexBool   `json:"isMarkedSpam"`
	Unread              flexCount  `json:"unread"`
	MessagesUnread      flexCount  `json:"messagesUnread"` // deprecated twin of unread
	LastMessageTime     flexTime   `json:"lastMessageTime"`
	Notes               *zapiNotes `json:"notes"`
}

type zapiNotes struct {
	ID           flexString `json:"id"`
	Content      flexString `json:"content"`
	CreatedAt    flexTime   `json:"createdAt"`
	LastUpdateAt flexTime   `json:"lastUpdateAt"`
}

// decode reads a page: a bare list. The reference sends no total and no
// hasMore, and names no largest pageSize, so a page shorter than asked may
// be the end or the most the API serves (see progress.unconfirmed).
func (z *zapi) decode(r redactor, a *transport.Answer) (*page, error) {
	if firstByte(a.Body) == '{' {
		// Some Z-API failures come back as {"error": "..."} with a 2xx status.
		if apiErr := z.apiError(r, a); apiErr.Message != "" {
			return nil, apiErr
		}
	}
	var raw *[]zapiChat
	if err := json.Unmarshal(a.Body, &raw); err != nil || raw == nil {
		if err == nil {
			err = errNullList
		}
		return nil, decodeError[[]zapiChat](r, BackendZAPI, a, err, "")
	}
	chats := make([]Chat, len(*raw))
	for i := range *raw {
		chat, err := (*raw)[i].chat()
		if err != nil {
			return nil, &DecodeError{Backend: BackendZAPI, StatusCode: a.Status, Index: i, Field: "phone", Err: err}
		}
		chats[i] = chat
	}
	return &page{chats: chats}, nil
}

func (r *zapiChat) chat() (Chat, error) {
	if !r.Phone.set || r.Phone.val == "" {
		return Chat{}, errMissingID
	}
	unread := r.Unread
	if !unread.set {
		unread = r.MessagesUnread
	}
	var mute *time.Time
	if !r.MuteEndTime.forever {
		mute = r.MuteEndTime.ptr()
	}
	forever := r.MuteEndTime.foreverPtr()
	if r.IsMuted.set && !r.IsMuted.val {
		// A chat that is not muted is not muted forever, whether or not a
		// mute end came with it.
		forever = new(bool)
	}
	return Chat{
		ID:                  r.Phone.val,
		Phone:               r.Phone.ptr(),
		Name:                r.Name.ptr(),
		IsGroup:             r.IsGroup.ptr(),
		IsGroupAnnouncement: r.IsGroupAnnouncement.ptr(),
		Archived:            r.Archived.ptr(),
		Pinned:              r.Pinned.ptr(),
		Muted:               r.IsMuted.ptr(),
		MuteEndTime:         mute,
		MutedForever:        forever,
		MarkedSpam:          r.IsMarkedSpam.ptr(),
		UnreadCount:         unread.ptr(),
		LastMessageTime:     r.LastMessageTime.ptr(),
		Notes:               r.Notes.notes(),
	}, nil
}

// notes is nil for a missing or empty notes object: {} holds no annotation.
func (n *zapiNotes) notes() *Notes {
	if n == nil || (!n.ID.set && !n.Content.set && !n.CreatedAt.set && !n.LastUpdateAt.set) {
		return nil
	}
	return &Notes{ID: n.ID.ptr(), Content: n.Content.ptr(), CreatedAt: n.CreatedAt.ptr(), LastUpdatedAt: n.LastUpdateAt.ptr()}
}

// apiError reads Z-API's {"error": "..."} body.
func (z *zapi) apiError(r redactor, a *transport.Answer) *APIError {
	e := &APIError{Backend: BackendZAPI, StatusCode: a.Status, Attempts: a.Attempts}
	var body struct {
		Error   flexString `json:"error"`
		Message flexString `json:"message"`
	}
	if json.Unmarshal(a.Body, &body) == nil && (body.Error.val != "" || body.Message.val != "") {
		e.Message = r.Clip(firstNonEmpty(body.Error.val, body.Message.val), transport.MaxQuotedRunes)
		return e
	}
	e.Excerpt = r.Excerpt(a.Body)
	return e
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
