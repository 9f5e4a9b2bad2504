package emulator

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

const zapiPath = "/instances/demo-instance/token/demo-token/chats"

var (
	zapiAuth  = http.Header{"Client-Token": {"demo-client-token"}}
	enviaAuth = http.Header{"Authorization": {"Bearer demo-api-key"}}
)

// do sends one request straight to the handler.
func do(s *Server, method, target string, h http.Header) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	for k, v := range h {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

func get(s *Server, target string, h http.Header) *httptest.ResponseRecorder {
	return do(s, http.MethodGet, target, h)
}

func decode[T any](t *testing.T, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("body is not the expected JSON: %v\n%s", err, rec.Body.String())
	}
	return v
}

// zapiPage fetches one Z-API page and requires a 200.
func zapiPage(t *testing.T, s *Server, query string) []map[string]any {
	t.Helper()
	rec := get(s, zapiPath+"?"+query, zapiAuth)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET ?%s: status %d, body %s", query, rec.Code, rec.Body)
	}
	return decode[[]map[string]any](t, rec)
}

type enviaPage struct {
	Success    bool             `json:"success"`
	Data       []map[string]any `json:"data"`
	Pagination struct {
		Total   int  `json:"total"`
		Limit   int  `json:"limit"`
		Offset  int  `json:"offset"`
		HasMore bool `json:"hasMore"`
	} `json:"pagination"`
}

// enviaList fetches one EnviaAI page and requires a 200.
func enviaList(t *testing.T, s *Server, query string) enviaPage {
	t.Helper()
	rec := get(s, enviaAIPath+"?"+query, enviaAuth)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET ?%s: status %d, body %s", query, rec.Code, rec.Body)
	}
	p := decode[enviaPage](t, rec)
	if !p.Success || p.Data == nil {
		t.Fatalf("GET ?%s: success=%v data=%v", query, p.Success, p.Data)
	}
	return p
}

// enviaAll walks every page of a query with the largest limit.
func enviaAll(t *testing.T, s *Server, query string) []map[string]any {
	t.Helper()
	var all []map[string]any
	for offset := 0; ; offset += enviaMaxLimit {
		p := enviaList(t, s, query+"&limit=100&offset="+itoa(offset))
		all = append(all, p.Data...)
		if offset > p.Pagination.Total {
			t.Fatalf("hasMore is still true at offset %d of %d", offset, p.Pagination.Total)
		}
		if !p.Pagination.HasMore {
			if len(all) != p.Pagination.Total {
				t.Fatalf("walked %d chats, total says %d", len(all), p.Pagination.Total)
			}
			return all
		}
	}
}

type errorBody struct {
	Success *bool `json:"success"`
	Error   struct {
		Code       string `json:"code"`
		Message    string `json:"message"`
		RetryAfter int    `json:"retryAfter"`
	} `json:"error"`
}

func itoa(n int) string { return string(mustJSON(n)) }
