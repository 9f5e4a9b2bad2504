package transport

import (
	"context"
	"crypto/tls"
	"errors"
	"math"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	now := time.Date(2026, 2, 3, 12, 0, 0, 0, time.UTC)
	resp := func(status int, retryAfter string) *reply {
		h := http.Header{}
		if retryAfter != "" {
			h.Set("Retry-After", retryAfter)
		}
		return &reply{status: status, header: h}
	}
	const lo, hi, capRA = 100 * time.Millisecond, time.Second, time.Minute
	t.Run("Retry-After", func(t *testing.T) {
		tests := []struct {
			name string
			resp *reply
			want time.Duration
		}{
			{"429 seconds", resp(429, "30"), 30 * time.Second},
			{"503 seconds", resp(503, "5"), 5 * time.Second},
			{"429 zero", resp(429, "0"), 0},
			{"capped", resp(429, "3600"), capRA},
			{"too large for an integer", resp(429, "99999999999999999999999"), capRA},
			{"HTTP date", resp(429, now.Add(10*time.Second).Format(http.TimeFormat)), 10 * time.Second},
			{"HTTP date beyond the cap", resp(503, now.Add(2*time.Hour).Format(http.TimeFormat)), capRA},
			{"HTTP date in the past", resp(429, now.Add(-time.Hour).Format(http.TimeFormat)), 0},
		}
		for _, tt := range tests {
			if got := backoff(lo, hi, capRA, 3, tt.resp, now); got != tt.want {
				t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
			}
		}
	})
	t.Run("exponential with jitter", func(t *testing.T) {
		tests := []struct {
			attempt int
			resp    *reply
			ceiling time.Duration
		}{
			{0, nil, 100 * time.Millisecond},
			{1, nil, 200 * time.Millisecond},
			{2, resp(500, "30"), 400 * time.Millisecond}, // Retry-After counts on 429 and 503 only
			{3, resp(429, "soon"), 800 * time.Millisecond},
			{4, resp(502, ""), time.Second},
			{10, nil, time.Second},
			{29, nil, time.Second},
			{30, nil, time.Second},
			{63, nil, time.Second},
			{1000, nil, time.Second},
		}
		for _, tt := range tests {
			lowest, highest := time.Duration(math.MaxInt64), time.Duration(0)
			for range 300 {
				got := backoff(lo, hi, capRA, tt.attempt, tt.resp, now)
				lowest, highest = min(lowest, got), max(highest, got)
				if got < tt.ceiling/2 || got > tt.ceiling {
					t.Fatalf("attempt %d: %v outside [%v, %v]", tt.attempt, got, tt.ceiling/2, tt.ceiling)
				}
			}
			if lowest == highest {
				t.Errorf("attempt %d: every wait was %v; want jitter", tt.attempt, lowest)
			}
		}
	})
	t.Run("a large minimum does not overflow", func(t *testing.T) {
		for _, attempt := range []int{20, 28, 29, 30, 40} {
			got := backoff(20*time.Second, 10*time.Minute, capRA, attempt, nil, now)
			if got < 5*time.Minute || got > 10*time.Minute {
				t.Errorf("attempt %d: %v outside [5m, 10m]", attempt, got)
			}
		}
	})
}

// The policies decide, attempt by attempt, what is tried again: a read
// whatever may pass, a write only what the API cannot have applied.
func TestRetryPolicies(t *testing.T) {
	canceled, cancel := context.WithCancel(t.Context())
	cancel()
	urlErr := func(err error) error { return &url.Error{Op: "Get", URL: "https://api.example.com/chats", Err: err} }
	dialErr := urlErr(&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")})
	status := func(code int, header ...string) *reply {
		h := http.Header{}
		for i := 0; i < len(header); i += 2 {
			h.Set(header[i], header[i+1])
		}
		return &reply{status: code, header: h}
	}
	for _, tc := range []struct {
		name        string
		ctx         context.Context
		reply       *reply
		err         error
		read, write bool
	}{
		{"connection refused", t.Context(), nil, dialErr, true, true},
		{"connection reset mid-answer", t.Context(), nil, urlErr(errors.New("read: connection reset by peer")), true, false},
		{"attempt timeout", t.Context(), nil, errAttemptTimeout, true, false},
		{"too many redirects", t.Context(), nil, urlErr(errors.New("stopped after 10 redirects")), false, false},
		{"unsupported scheme", t.Context(), nil, urlErr(errors.New(`unsupported protocol scheme "ftp"`)), false, false},
		{"invalid header", t.Context(), nil, urlErr(errors.New(`net/http: invalid header field value for "X"`)), false, false},
		{"untrusted certificate", t.Context(), nil, urlErr(&tls.CertificateVerificationError{Err: errors.New("x509: unknown authority")}), false, false},
		{"context done", canceled, nil, dialErr, false, false},
		{"429", t.Context(), status(429), nil, true, true},
		{"429 after the context is done", canceled, status(429), nil, false, false},
		{"500", t.Context(), status(500), nil, true, false},
		{"501", t.Context(), status(501), nil, false, false},
		{"503", t.Context(), status(503), nil, true, false},
		{"503 with Retry-After", t.Context(), status(503, "Retry-After", "1"), nil, true, true},
		{"status 0", t.Context(), status(0), nil, true, false},
		{"404", t.Context(), status(404), nil, false, false},
		{"200", t.Context(), status(200), nil, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := readRetryPolicy(tc.ctx, tc.reply, tc.err); got != tc.read {
				t.Errorf("read retried: %v, want %v", got, tc.read)
			}
			if got := writeRetryPolicy(tc.ctx, tc.reply, tc.err); got != tc.write {
				t.Errorf("write retried: %v, want %v", got, tc.write)
			}
		})
	}
}
