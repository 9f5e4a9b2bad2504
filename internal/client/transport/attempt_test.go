package transport

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestReadBody(t *testing.T) {
	errBroken := errors.New("connection broke")
	tests := []struct {
		name     string
		body     int   // bytes the server sends
		size     int64 // the announced length; -1 when none
		limit    int64
		wantLen  int
		wantCap  int // 0: any
		wantErr  error
		breakOff bool // the body fails after its bytes
	}{
		{name: "announced length: one buffer of that size", body: 1000, size: 1000, limit: 4096, wantLen: 1000, wantCap: 1001},
		{name: "empty body", body: 0, size: 0, limit: 4096, wantLen: 0, wantCap: 1},
		{name: "unknown length", body: 1000, size: -1, limit: 4096, wantLen: 1000},
		{name: "unknown length, many reads", body: 3000, size: -1, limit: 4096, wantLen: 3000},
		{name: "exactly the cap", body: 4096, size: 4096, limit: 4096, wantLen: 4096},
		{name: "over the cap: one byte more, no further", body: 10000, size: 10000, limit: 4096, wantLen: 4097},
		{name: "over the cap, unknown length", body: 10000, size: -1, limit: 4096, wantLen: 4097},
		{name: "announced length beyond the cap is not allocated", body: 10, size: 1 << 40, limit: 4096, wantLen: 10, wantCap: 512},
		{name: "broken mid-body", body: 1000, size: 5000, limit: 4096, wantErr: errBroken, breakOff: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r io.Reader = strings.NewReader(strings.Repeat("x", tt.body))
			if tt.breakOff {
				r = io.MultiReader(r, iotest.ErrReader(errBroken))
			}
			got, err := readBody(iotest.HalfReader(r), tt.limit, tt.size)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || got != nil {
					t.Fatalf("got %d bytes, %v; want no body and %v", len(got), err, tt.wantErr)
				}
				return
			}
			if err != nil || len(got) != tt.wantLen {
				t.Fatalf("got %d bytes, %v; want %d", len(got), err, tt.wantLen)
			}
			if tt.wantCap > 0 && cap(got) != tt.wantCap {
				t.Errorf("buffer of %d bytes, want %d", cap(got), tt.wantCap)
			}
		})
	}
}
