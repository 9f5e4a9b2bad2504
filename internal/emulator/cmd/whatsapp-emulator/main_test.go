package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
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
		{"-state", "asleep"},
		{"-backend", "other"},
		{"-paid-for", "-1h"},
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

// startRun starts run with args and returns its base URL; the run ends
// with the test.
func startRun(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	stdout, out := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, out, io.Discard) }()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	m := listening.FindStringSubmatch(line)
	if err != nil || m == nil {
		t.Fatalf("first line %q (%v)", line, err)
	}
	go io.Copy(io.Discard, stdout) //nolint:errcheck // drains -print-settings
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	})
	return m[1]
}

// call sends one request with the demo credentials and decodes the answer.
func call(t *testing.T, method, url string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(`{"value":true}`))
	req.Header.Set("Client-Token", "demo-client-token")
	req.Header.Set("Authorization", "Bearer demo-api-key")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body) // lists are read as nil
	return resp.StatusCode, body
}

// The command sets the configured instances' state and paid period, and
// writes the environment a provider needs to reach it.
func TestRun_StateAndPaidPeriod(t *testing.T) {
	envFile := filepath.Join(t.TempDir(), "emu.env")
	start := time.Now()
	url := startRun(t, "-state", "connecting", "-paid-for", "72h", "-env-file", envFile, "-backend", "enviaai", "-print-settings")
	env, err := os.ReadFile(envFile)
	if err != nil || string(env) != "ENVIAAI_BASE_URL="+url+"\nENVIAAI_API_KEY=demo-api-key\nENVIAAI_INSTANCE_ID=inst_demo\n" {
		t.Errorf("env file %q (%v)", env, err)
	}
	zapi := url + "/instances/demo-instance/token/demo-token/"
	if code, body := call(t, "GET", zapi+"status"); code != 200 || body["connected"] != false {
		t.Errorf("Z-API status: %d %v", code, body)
	}
	code, me := call(t, "GET", zapi+"me")
	due := time.Unix(int64(me["due"].(float64)), 0)
	if code != 200 || due.Before(start.Add(71*time.Hour)) || due.After(time.Now().Add(73*time.Hour)) {
		t.Errorf("Z-API /me: %d, due %v", code, due)
	}
	if code, body := call(t, "GET", zapi+"chats?page=1&pageSize=5"); code != 400 || body["error"] != "You are not connected." {
		t.Errorf("Z-API chats: %d %v", code, body)
	}
	if code, body := call(t, "GET", url+"/v1/instances/inst_demo/status"); code != 200 || body["data"].(map[string]any)["status"] != "connecting" {
		t.Errorf("EnviaAI status: %d %v", code, body)
	}
	if code, body := call(t, "GET", url+"/v1/messages/chats?instanceId=inst_demo"); code != 409 || body["error"].(map[string]any)["code"] != "instance_disconnected" {
		t.Errorf("EnviaAI chats: %d %v", code, body)
	}
}

// The command sets the unread backlog and injects write failures.
func TestRun_BacklogAndFault(t *testing.T) {
	url := startRun(t, "-chats", "40", "-unread", "1234", "-fail-writes", "1", "-fail-write-status", "502")
	req, _ := http.NewRequest("GET", url+"/instances/demo-instance/token/demo-token/chats?page=1&pageSize=100", nil)
	req.Header.Set("Client-Token", "demo-client-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var chats []struct{ Unread string }
	err = json.NewDecoder(resp.Body).Decode(&chats)
	resp.Body.Close()
	total := 0
	for _, c := range chats {
		n, _ := strconv.Atoi(c.Unread)
		total += n
	}
	if err != nil || len(chats) != 40 || total != 1234 {
		t.Errorf("Z-API chats: %d chats, %d unread (%v)", len(chats), total, err)
	}
	_, status := call(t, "GET", url+"/v1/instances/inst_demo/status")
	if n := status["data"].(map[string]any)["stats"].(map[string]any)["unreadMessages"]; n != 1234.0 {
		t.Errorf("EnviaAI unreadMessages %v", n)
	}
	put := url + "/instances/demo-instance/token/demo-token/update-auto-read-message"
	if code, _ := call(t, "PUT", put); code != 502 {
		t.Errorf("first write: %d, want 502", code)
	}
	if code, _ := call(t, "PUT", put); code != 200 {
		t.Errorf("second write: %d, want 200", code)
	}
}

// -h names every credential, instance and endpoint the emulator serves.
func TestRun_HelpDocumentsTheFixtures(t *testing.T) {
	var help bytes.Buffer
	if err := run(t.Context(), []string{"-h"}, io.Discard, &help); err == nil {
		t.Fatal("-h started the server")
	}
	for _, want := range []string{
		"demo-instance", "demo-token", "demo-client-token", emulator.DefaultZAPIPartnerToken, emulator.ZAPIDisconnectedInstance,
		emulator.ZAPIExpiringInstance, "demo-api-key", "inst_demo", "inst_support", emulator.EnviaAIDisconnectedInstance,
		emulator.EnviaAIConnectingInstance, emulator.EnviaAIPairingInstance, "/chats", "/status", "/me", "update-webhook-",
		"GET  /instances?page=", "/v1/messages/chats", "/v1/instances", "PATCH", "-state", "-paid-for", "-unread", "-env-file", "-print-settings",
	} {
		if !strings.Contains(help.String(), want) {
			t.Errorf("-h does not mention %q", want)
		}
	}
}
