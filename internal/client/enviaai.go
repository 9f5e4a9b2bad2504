package client

import (
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/client/transport"
)

// EnviaAIConfig locates and authenticates one EnviaAI account.
type EnviaAIConfig struct {
	BaseURL string
	// APIKey is sent as Authorization: Bearer.
	APIKey string
	// InstanceID is the instance read unless ListOptions names another.
	// Empty, the listing of instances works, and a read of one instance
	// works when it names it; others are a *CredentialsError.
	InstanceID string
}

// DefaultEnviaAIBaseURL is EnviaAI's public endpoint.
const DefaultEnviaAIBaseURL = "https://api.enviaai.app"

// BackendEnviaAI names EnviaAI in messages.
const BackendEnviaAI = "EnviaAI"

// NewEnviaAI returns a client for one EnviaAI account.
func NewEnviaAI(cfg EnviaAIConfig, opts HTTPOptions) (*Client, error) {
	base, err := parseBaseURL(cfg.BaseURL, DefaultEnviaAIBaseURL)
	if err != nil {
		return nil, err
	}
	if err := checkCredential("API key", cfg.APIKey, CheckHeaderCredential); err != nil {
		return nil, err
	}
	e := &enviaAI{cfg: cfg, base: base, chatsURL: transport.JoinSegments(base, "v1", "messages", "chats")}
	return newClient(e, newTransport(BackendEnviaAI, opts, enviaRetryAfter, cfg.APIKey)), nil
}

type enviaAI struct {
	cfg      EnviaAIConfig
	base     *url.URL
	chatsURL *url.URL
}

func (e *enviaAI) name() string { return BackendEnviaAI }

// EnviaAI filters, sorts and pages by offset on the server.
func (e *enviaAI) serves() capabilities {
	return capabilities{search: true, unreadOnly: true, sort: true, otherInstances: true}
}

// enviaSortFields maps the provider's sort fields to EnviaAI's sortBy.
var enviaSortFields = map[SortField]string{
	SortByLastMessageTime: "lastMessageAt",
	SortByUnreadCount:     "unreadCount",
	SortByName:            "contactName",
}

func (e *enviaAI) request(q pageQuery) (*url.URL, http.Header) {
	instance := e.cfg.InstanceID
	if q.opts.InstanceID != "" {
		instance = q.opts.InstanceID
	}
	v := url.Values{
		"instanceId": {instance},
		"limit":      {strconv.Itoa(q.size)},
		"offset":     {strconv.Itoa(q.index * q.size)},
	}
	if q.opts.Search != "" {
		v.Set("search", q.opts.Search)
	}
	if q.opts.UnreadOnly {
		v.Set("unreadOnly", "true")
	}
	if q.opts.sorted() {
		by, order := q.opts.sort()
		v.Set("sortBy", enviaSortFields[by])
		v.Set("sortOrder", string(order))
	}
	u := *e.chatsURL
	u.RawQuery = v.Encode()
	return &u, e.header()
}

type enviaChat struct {
	ChatID        flexString    `json:"chatId"`
	Phone         flexString    `json:"phone"`
	ContactName   flexString    `json:"contactName"`
	ProfilePicURL flexString    `json:"profilePicUrl"`
	LastMessage   *enviaMessage `json:"lastMessage"`
	LastMessageAt flexTime      `json:"lastMessageAt"`
	UnreadCount   flexCount     `json:"unreadCount"`
	IsGroup       flexBool      `json:"isGroup"`
	CreatedAt     flexTime      `json:"createdAt"`
}

type enviaMessage struct {
	MessageID flexString `json:"messageId"`
	Content   flexString `json:"content"`
	Timestamp flexTime   `json:"timestamp"`
	IsFromMe  flexBool   `json:"isFromMe"`
	Type      flexString `json:"type"`
}

type enviaPage struct {
	Success flexBool     `json:"success"`
	Data    *[]enviaChat `json:"data"`
	// The reference calls total the "total number of chats" and does not
	// say whether, under search or unreadOnly, it counts the chats that
	// match or all of them: a filtered read does not use it (progress).
	Pagination *struct {
		Total   flexCount `json:"total"`
		HasMore flexBool  `json:"hasMore"`
	} `json:"pagination"`
}

type enviaErrorBody struct {
	Success flexBool `json:"success"`
	Error   *struct {
		Code      flexString `json:"code"`
		Message   flexString `json:"message"`
		RequestID flexString `json:"requestId"`
	} `json:"error"`
	Message flexString `json:"message"`
}

func (e *enviaAI) decode(r redactor, a *transport.Answer) (*page, error) {
	var body enviaPage
	err := json.Unmarshal(a.Body, &body)
	if err == nil && body.Success.set && !body.Success.val {
		return nil, e.apiError(r, a)
	}
	if err == nil && body.Data == nil {
		err = errNullList
	}
	if err != nil {
		return nil, decodeError[enviaPage](r, BackendEnviaAI, a, err, "data")
	}
	p := &page{chats: make([]Chat, len(*body.Data))}
	for i := range *body.Data {
		chat, err := (*body.Data)[i].chat()
		if err != nil {
			return nil, &DecodeError{Backend: BackendEnviaAI, StatusCode: a.Status, Index: i, Field: "chatId", Err: err}
		}
		p.chats[i] = chat
	}
	if body.Pagination != nil {
		p.total = body.Pagination.Total.ptr()
		p.hasMore = body.Pagination.HasMore.ptr()
	}
	return p, nil
}

func (r *enviaChat) chat() (Chat, error) {
	if !r.ChatID.set || r.ChatID.val == "" {
		return Chat{}, errMissingID
	}
	chat := Chat{
		ID:              r.ChatID.val,
		Phone:           r.Phone.ptr(),
		Name:            r.ContactName.ptr(),
		IsGroup:         r.IsGroup.ptr(),
		UnreadCount:     r.UnreadCount.ptr(),
		LastMessageTime: r.LastMessageAt.ptr(),
		ProfilePicURL:   r.ProfilePicURL.ptr(),
		CreatedAt:       r.CreatedAt.ptr(),
	}
	if m := r.LastMessage.message(); m != nil {
		chat.LastMessage = m
		// The chat's last message time is its last message's timestamp
		// when the API does not send lastMessageAt itself.
		if chat.LastMessageTime == nil {
			chat.LastMessageTime = m.Timestamp
		}
	}
	return chat, nil
}

// message is nil for a missing or empty lastMessage object: {} holds no
// message, as Z-API's empty notes hold no annotation.
func (m *enviaMessage) message() *Message {
	if m == nil || (!m.MessageID.set && !m.Content.set && !m.Timestamp.set && !m.IsFromMe.set && !m.Type.set) {
		return nil
	}
	return &Message{ID: m.MessageID.ptr(), Content: m.Content.ptr(), Timestamp: m.Timestamp.ptr(), FromMe: m.IsFromMe.ptr(), Type: m.Type.ptr()}
}

// apiError reads EnviaAI's {"success":false,"error":{"code","message"}}.
func (e *enviaAI) apiError(r redactor, a *transport.Answer) *APIError {
	apiErr := &APIError{Backend: BackendEnviaAI, StatusCode: a.Status, Attempts: a.Attempts}
	var body enviaErrorBody
	if json.Unmarshal(a.Body, &body) == nil {
		if body.Error != nil {
			apiErr.Code = r.Clip(body.Error.Code.val, transport.MaxQuotedRunes)
			apiErr.Message = r.Clip(body.Error.Message.val, transport.MaxQuotedRunes)
			apiErr.RequestID = r.Clip(body.Error.RequestID.val, maxRequestIDRunes)
		} else {
			apiErr.Message = r.Clip(body.Message.val, transport.MaxQuotedRunes)
		}
	}
	if apiErr.Code == "" && apiErr.Message == "" {
		apiErr.Excerpt = r.Excerpt(a.Body)
	}
	return apiErr
}

// maxRequestIDRunes is the most of error.requestId an error quotes: the
// reference shows short ids, and says nothing of their length.
const maxRequestIDRunes = 100

// enviaRetryAfter reads the wait a 429 body asks for, in seconds: the API
// sends {"success":false,"error":{"code":"rate_limit_exceeded",...,
// "retryAfter":N}}; a top-level {"retryAfter":N} is read too. The transport
// uses it when the answer has no Retry-After header.
func enviaRetryAfter(body []byte) (time.Duration, bool) {
	var top struct {
		RetryAfter json.RawMessage `json:"retryAfter"`
		Error      json.RawMessage `json:"error"`
	}
	if json.Unmarshal(body, &top) != nil {
		return 0, false
	}
	var nested struct {
		RetryAfter json.RawMessage `json:"retryAfter"`
	}
	// error may be a string in other answers; then only the top level counts.
	if json.Unmarshal(top.Error, &nested) == nil {
		if d, ok := waitSeconds(nested.RetryAfter); ok {
			return d, true
		}
	}
	return waitSeconds(top.RetryAfter)
}

// waitSeconds reads a non-negative number of seconds, sent as a JSON number
// or a string holding one, up to transport.MaxAskedWait.
func waitSeconds(raw json.RawMessage) (time.Duration, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, false
	}
	s, _, err := unquote(raw)
	if err != nil {
		return 0, false
	}
	secs, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || !(secs >= 0) || math.IsInf(secs, 1) {
		return 0, false
	}
	return time.Duration(min(secs, transport.MaxAskedWait.Seconds()) * float64(time.Second)), true
}
