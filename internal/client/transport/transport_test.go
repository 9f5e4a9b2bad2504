package transport

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestOptionDefaults(t *testing.T) {
	o := Options{MaxRetries: -3}.withDefaults()
	if o.RequestTimeout != DefaultRequestTimeout || o.MaxRetries != 0 || o.MaxConcurrentRequests != DefaultMaxConcurrentRequests ||
		o.RetryWaitMin != DefaultMinRetryWait || o.RetryWaitMax != DefaultMaxRetryWait || o.MaxRetryAfter != DefaultMaxRetryAfter ||
		o.MaxBodyBytes != DefaultMaxBodyBytes || o.Logger == nil || o.Transport == nil {
		t.Errorf("defaults not applied: %+v", o)
	}
	if o := (Options{MaxRetries: 2, RequestTimeout: time.Second}).withDefaults(); o.MaxRetries != 2 || o.RequestTimeout != time.Second {
		t.Errorf("set values overridden: %+v", o)
	}
}

// A request its context stops is called what it was: a GET a read, any
// other method a write.
func TestStoppedRequestSaysReadOrWrite(t *testing.T) {
	u, _ := url.Parse("http://127.0.0.1:1/")
	for _, tc := range []struct {
		method, want string
	}{
		{http.MethodGet, "the read of Z-API stopped before it finished"},
		{http.MethodPut, "the write of Z-API stopped before it finished"},
		{http.MethodPatch, "the write of Z-API stopped before it finished"},
		{http.MethodDelete, "the write of Z-API stopped before it finished"},
	} {
		ctx, cancel := context.WithCancel(t.Context())
		// The request is stopped once it is under way.
		tr := New(API{Name: "Z-API"}, Options{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			cancel()
			<-r.Context().Done()
			return nil, r.Context().Err()
		})})
		var err error
		if tc.method == http.MethodGet {
			_, err = tr.Get(ctx, u, nil)
		} else {
			_, err = tr.Write(ctx, tc.method, u, nil, []byte(`{}`))
		}
		cancel()
		if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, context.Canceled) {
			t.Errorf("%s: got %v, want %q", tc.method, err, tc.want)
		}
	}
}
