package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestCheckLoopback(t *testing.T) {
	tests := []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:0", true},
		{"127.0.0.2:8080", true},
		{"[::1]:0", true},
		{"localhost:9000", true},
		{"0.0.0.0:0", false},
		{":8080", false},
		{"[::]:0", false},
		{"192.168.1.10:80", false},
		{"example.com:80", false},
		{"127.0.0.1", false},
	}
	for _, tc := range tests {
		if err := checkLoopback(tc.addr); (err == nil) != tc.ok {
			t.Errorf("checkLoopback(%q) = %v", tc.addr, err)
		}
	}
}

func TestRun_RejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-addr", "0.0.0.0:0"},
		{"-malformed", "xml"},
		{"-fail-status", "200"},
		{"extra"},
		{"-no-such-flag"},
	} {
		if err := run(t.Context(), args, io.Discard, io.Discard); err == nil {
			t.Errorf("run(%q) started", args)
		}
	}
}

var listening = regexp.MustCompile(`^listening on (http://127\.0\.0\.1:\d+)\n$`)

func TestRun_ServesUntilCancelled(t *testing.T) {
	urlFile := filepath.Join(t.TempDir(), "url")
	ctx, cancel := context.WithCancel(t.Context())
	stdout, out := io.Pipe()
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-chats", "5", "-v", "-url-file", urlFile}, out, &stderr)
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	m := listening.FindStringSubmatch(line)
	if err != nil || m == nil {
		t.Fatalf("first line %q (%v)", line, err)
	}
	if b, err := os.ReadFile(urlFile); err != nil || string(b) != m[1] {
		t.Errorf("url file holds %q (%v), want %q", b, err, m[1])
	}
	req, _ := http.NewRequest(http.MethodGet, m[1]+"/instances/demo-instance/token/demo-token/chats?page=1&pageSize=2", nil)
	req.Header.Set("Client-Token", "demo-client-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET: %v %v", resp, err)
	}
	resp.Body.Close()
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run returned %v after cancel", err)
	}
	if _, err := os.Stat(urlFile); !os.IsNotExist(err) {
		t.Errorf("url file left behind (%v)", err)
	}
	if log := stderr.String(); !strings.Contains(log, "GET /instances/demo-instance/token/***/chats?page=1&pageSize=2 200") || strings.Contains(log, "demo-token") {
		t.Errorf("request log %q", log)
	}
}

func TestRedact(t *testing.T) {
	tests := map[string]string{
		"/instances/i/token/secret/chats?page=1": "/instances/i/token/***/chats?page=1",
		"/v1/messages/chats?instanceId=x":        "/v1/messages/chats?instanceId=x",
		"/instances/i/token":                     "/instances/i/token",
	}
	for in, want := range tests {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
}
