package emulator

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

const (
	zapiSupportPhone = "5511999999999"
	zapiMaxPageSize  = 1000
)

// zapiAPI serves GET /instances/{instanceId}/token/{token}/chats.
type zapiAPI struct {
	creds ZAPICredentials
	chats [][]byte // encoded wire objects in API order
	// offline: the configured instance is not connected (Options.State).
	offline bool
}

func newZAPI(opts Options) *zapiAPI {
	if opts.ZAPIChats != nil {
		return &zapiAPI{creds: opts.ZAPI, chats: cloneRaw(opts.ZAPIChats), offline: opts.State != "" && opts.State != StateConnected}
	}
	chats := generateZAPIChats(opts.Seed, opts.Chats)
	if opts.Unread != nil {
		spread(*opts.Unread, len(chats), func(i, u int) { chats[i].unread = u })
	}
	z := &zapiAPI{creds: opts.ZAPI, chats: make([][]byte, len(chats)), offline: opts.State != "" && opts.State != StateConnected}
	for i, c := range chats {
		z.chats[i] = mustJSON(c.wire())
	}
	return z
}

// parseZAPIPath splits /instances/{instanceId}/token/{token}/chats.
func parseZAPIPath(path string) (instance, token string, ok bool) {
	parts := strings.Split(path, "/")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "instances" || parts[3] != "token" || parts[5] != "chats" {
		return "", "", false
	}
	return parts[2], parts[4], parts[2] != "" && parts[4] != ""
}

func (z *zapiAPI) serve(r *http.Request, f Faults) response {
	if err := z.authorize(r, f); err != nil {
		return z.errorResponse(*err)
	}
	page, size, err := zapiPaging(r.URL.Query())
	if err != nil {
		return z.errorResponse(*err)
	}
	if f.ZAPIMaxPageSize > 0 {
		size = min(size, f.ZAPIMaxPageSize)
	}
	if f.IgnorePage {
		page = 1
	}
	start := len(z.chats)
	if page-1 <= len(z.chats)/size { // keeps (page-1)*size from overflowing
		start = min((page-1)*size, len(z.chats))
	}
	end := min(start+size, len(z.chats))
	return jsonResponse(http.StatusOK, appendList(nil, z.chats[start:end], f.Malformed == MalformedObject))
}

// authorize checks the account's Client-Token before the instance, as the
// header guards every instance of the account.
func (z *zapiAPI) authorize(r *http.Request, f Faults) *apiError {
	if err := checkClientToken(r, z.creds, f); err != nil {
		return err
	}
	instance, token, _ := parseZAPIPath(r.URL.Path)
	switch {
	case token != z.creds.Token:
		return &apiError{status: http.StatusNotFound, message: "Instance not found"}
	case instance == ZAPIExpiringInstance || instance == z.creds.InstanceID && !z.offline:
		return nil // the connected instances share the chats
	case instance == ZAPIDisconnectedInstance || instance == z.creds.InstanceID:
		return &apiError{status: http.StatusBadRequest, message: "You are not connected."}
	}
	return &apiError{status: http.StatusNotFound, message: "Instance not found"}
}

// checkClientToken checks the account's Client-Token header, when the
// account requires one.
func checkClientToken(r *http.Request, creds ZAPICredentials, f Faults) *apiError {
	if creds.ClientToken == "" {
		return nil
	}
	switch r.Header.Get("Client-Token") {
	case "":
		if f.ZAPITokenNotConfigured {
			return &apiError{status: http.StatusBadRequest, message: ZAPITokenNotConfigured}
		}
		return &apiError{status: http.StatusBadRequest, message: "null not allowed"}
	case creds.ClientToken:
		return nil
	}
	// The real API echoes the submitted token; a fake must not teach
	// clients to expect secrets in bodies.
	return &apiError{status: http.StatusForbidden, message: "Client-Token not allowed"}
}

// ZAPITokenNotConfigured is the other answer Z-API gives a request without
// Client-Token (Faults.ZAPITokenNotConfigured).
const ZAPITokenNotConfigured = "your client-token is not configured"

// zapiPaging reads the required page and pageSize; pageSize above the cap is
// lowered to it, and pages are counted with the lowered size.
func zapiPaging(q url.Values) (page, size int, err *apiError) {
	page, err = positiveParam(q, "page")
	if err != nil {
		return 0, 0, err
	}
	size, err = positiveParam(q, "pageSize")
	return page, min(size, zapiMaxPageSize), err
}

func positiveParam(q url.Values, name string) (int, *apiError) {
	v := q.Get(name)
	if v == "" {
		return 0, &apiError{status: http.StatusBadRequest, message: name + " is required"}
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, &apiError{status: http.StatusBadRequest, message: name + " must be a positive integer"}
	}
	return n, nil
}

func (z *zapiAPI) errorResponse(e apiError) response {
	return jsonResponse(e.status, mustJSON(map[string]string{"error": e.message}))
}
