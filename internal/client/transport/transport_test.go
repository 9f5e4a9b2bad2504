package transport

import (
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
