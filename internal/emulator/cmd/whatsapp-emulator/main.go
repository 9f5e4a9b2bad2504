// Command whatsapp-emulator serves the emulated Z-API and EnviaAI chat APIs
// on a loopback address, for demos and manual testing.
//
// It prints one line, "listening on http://127.0.0.1:PORT" (then, with
// -print-settings, the provider settings of each backend), and serves until
// SIGINT or SIGTERM. -h lists its credentials, instances and endpoints.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/whatsapp-tf/terraform-provider-whatsapp/internal/emulator"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case errors.Is(err, flag.ErrHelp):
		// -h: the usage is printed already.
	case err != nil:
		fmt.Fprintln(os.Stderr, "whatsapp-emulator:", err)
		os.Exit(1)
	}
}

type config struct {
	addr, urlFile string
	envFile       string
	backend       string
	printSettings bool
	verbose       bool
	opts          emulator.Options
	faults        emulator.Faults
}

// fixtures is the part of -h that says what the emulator serves.
const fixtures = `
Serves, with these credentials (the provider's settings for them: -print-settings):

  Z-API (base URL: the listening URL)
    instance demo-instance, token demo-token, Client-Token demo-client-token,
    partner token demo-partner-token (Authorization: Bearer, partner listing only)
    instances (all with token demo-token):
      demo-instance          the configured one: -state, -paid-for, -unread; webhooks
                             set, one on an old host; auto-read and call rejection on;
                             2 queued messages
      disconnected-instance  not connected; /me answers "You are not connected.";
                             137 queued messages
      expiring-instance      connected, phone offline, paid period ends in 5 days,
                             payment pending
    GET  /instances/{id}/token/{token}/chats?page=&pageSize=
    GET  /instances/{id}/token/{token}/status
    GET  /instances/{id}/token/{token}/me
    GET  /instances/{id}/token/{token}/queue/count   (the count only; never the entries)
    PUT  /instances/{id}/token/{token}/update-webhook-{received,delivery,message-status,
         connected,disconnected,chat-presence}, update-auto-read-message,
         update-call-reject-auto, update-call-reject-message, update-notify-sent-by-me
    GET  /instances?page=&pageSize=&query=       partner listing

  EnviaAI (base URL: the listening URL)
    API key demo-api-key (Authorization: Bearer)
    instances:
      inst_demo          the configured one: -state, -unread; -chats chats
      inst_support       connected, chats/10+1 chats, webhook on an old host
      inst_disconnected  disconnected: status and chats answer 409 instance_disconnected
      inst_connecting    connecting: status reads, chats answer 409
      inst_pairing       qr_pending (waiting for its QR code): status reads, chats answer 409
    GET   /v1/messages/chats?instanceId=&limit=&offset=&search=&unreadOnly=&sortBy=&sortOrder=
    GET   /v1/instances?status=&limit=&offset=
    GET   /v1/instances/{id}/status
    PATCH /v1/instances/{id}                     name, webhookUrl, webhookEvents, settings

Flags:
`

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("whatsapp-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: whatsapp-emulator [flags]\n\nA local fake of the Z-API and EnviaAI APIs for demos, tests and offline audits.\n%s", fixtures)
		fs.PrintDefaults()
	}
	unread := -1
	fs.StringVar(&c.addr, "addr", "127.0.0.1:0", "listen address (loopback only; port 0 picks a free port)")
	fs.StringVar(&c.urlFile, "url-file", "", "write the base URL, without newline, to this file once listening")
	fs.BoolVar(&c.verbose, "v", false, "log each request to stderr")
	fs.IntVar(&c.opts.Chats, "chats", 300, "chats per instance")
	fs.Int64Var(&c.opts.Seed, "seed", 0, "data seed")
	fs.DurationVar(&c.faults.Latency, "latency", 0, "delay before every answer")
	fs.IntVar(&c.faults.RateLimit, "rate-limit", 0, "requests allowed per window and API; 0 for no limit")
	fs.DurationVar(&c.faults.RateWindow, "rate-window", time.Second, "rate-limit window")
	fs.BoolVar(&c.faults.RetryAfter, "retry-after", false, "send Retry-After on 429 answers")
	fs.IntVar(&c.faults.FailFirst, "fail-first", 0, "answer the first N requests with -fail-status")
	fs.IntVar(&c.faults.FailStatus, "fail-status", 503, "status for -fail-first")
	fs.StringVar(&c.faults.Malformed, "malformed", "", "break successful answers: html, truncated, empty or object")
	fs.BoolVar(&c.faults.IgnorePage, "ignore-page", false, "Z-API serves page 1 whatever page is asked")
	fs.BoolVar(&c.faults.Hang, "hang", false, "never answer (give the client a timeout)")
	fs.IntVar(&c.faults.FailWrites, "fail-writes", 0, "answer the first N writes (PUT, PATCH) with -fail-write-status and change nothing")
	fs.IntVar(&c.faults.FailWriteStatus, "fail-write-status", 503, "status for -fail-writes")
	fs.BoolVar(&c.faults.IgnoreWrites, "ignore-writes", false, "acknowledge writes without applying them")
	fs.BoolVar(&c.faults.RefuseQueue, "refuse-queue", false, "answer Z-API's queue/count with 400")
	fs.StringVar(&c.opts.State, "state", "connected", "state of the configured instances (demo-instance, inst_demo): connected, disconnected, connecting or pairing")
	fs.DurationVar(&c.opts.PaidFor, "paid-for", 90*24*time.Hour, "time from start until demo-instance's paid period ends (Z-API due)")
	fs.IntVar(&unread, "unread", -1, "unread messages over the configured instances' chats (the backlog); -1 keeps the generated counts")
	fs.IntVar(&c.opts.Instances, "instances", 0, "generated instances to add to each account's listing")
	fs.BoolVar(&c.printSettings, "print-settings", false, "after the listening line, print each backend's provider block and environment variables")
	fs.StringVar(&c.envFile, "env-file", "", "write -backend's environment variables (KEY=value lines) to this file once listening")
	fs.StringVar(&c.backend, "backend", "zapi", "the backend -env-file configures: zapi or enviaai")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if err := checkLoopback(c.addr); err != nil {
		return c, err
	}
	if unread >= 0 {
		c.opts.Unread = &unread
	}
	if c.backend != "zapi" && c.backend != "enviaai" {
		return c, fmt.Errorf("-backend %q: want zapi or enviaai", c.backend)
	}
	if err := c.opts.Validate(); err != nil {
		return c, err
	}
	return c, c.faults.Validate()
}

// checkLoopback refuses addresses other machines could reach: the emulator
// accepts well-known demo credentials.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %v", addr, err)
	}
	if ip := net.ParseIP(host); host == "localhost" || ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-addr %q is not a loopback address; use 127.0.0.1 or [::1]", addr)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	emu := emulator.New(cfg.opts)
	emu.SetFaults(cfg.faults)
	var handler http.Handler = emu
	if cfg.verbose {
		handler = logRequests(handler, stderr)
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", cfg.addr)
	if err != nil {
		return err
	}
	url := "http://" + ln.Addr().String()
	if cfg.urlFile != "" {
		if err := writeFile(cfg.urlFile, url); err != nil {
			ln.Close()
			return err
		}
		defer os.Remove(cfg.urlFile)
	}
	if cfg.envFile != "" {
		if err := writeFile(cfg.envFile, envLines(cfg.backend, url)); err != nil {
			ln.Close()
			return err
		}
		defer os.Remove(cfg.envFile)
	}
	fmt.Fprintf(stdout, "listening on %s\n", url)
	if cfg.printSettings {
		printSettings(stdout, url)
	}
	return serve(ctx, ln, handler)
}

// writeFile renames a finished file into place so a reader polling for
// the file never sees half of it.
func writeFile(path, content string) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func serve(ctx context.Context, ln net.Listener, handler http.Handler) error {
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		// Requests held by the Hang or Latency faults end when their
		// connections close.
		srv.Close()
	}
	return nil
}

func logRequests(next http.Handler, w io.Writer) http.Handler {
	logger := log.New(w, "", log.LstdFlags|log.Lmicroseconds)
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: rw}
		next.ServeHTTP(rec, r)
		status := "-" // the client left before an answer
		if rec.status != 0 {
			status = fmt.Sprint(rec.status)
		}
		logger.Printf("%s %s %s %s", r.Method, redact(r.URL.RequestURI()), status, time.Since(start).Round(time.Microsecond))
	})
}

// redact hides the Z-API token, which travels in the path.
func redact(uri string) string {
	parts := strings.SplitN(uri, "/", 6)
	if len(parts) == 6 && parts[1] == "instances" && parts[3] == "token" {
		parts[4] = "***"
	}
	return strings.Join(parts, "/")
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// envLines are the environment variables that point the provider at the
// emulator's backend: KEY=value lines, for a shell (set -a; . FILE) or a
// CI's environment file.
func envLines(backend, url string) string {
	if backend == "enviaai" {
		return "ENVIAAI_BASE_URL=" + url + "\nENVIAAI_API_KEY=demo-api-key\nENVIAAI_INSTANCE_ID=inst_demo\n"
	}
	return "ZAPI_BASE_URL=" + url + "\nZAPI_INSTANCE_ID=demo-instance\nZAPI_TOKEN=demo-token\n" +
		"ZAPI_CLIENT_TOKEN=demo-client-token\nZAPI_PARTNER_TOKEN=" + emulator.DefaultZAPIPartnerToken + "\n"
}

// printSettings prints, for each backend, a provider block and the
// environment variables that configure the provider for the emulator.
func printSettings(w io.Writer, url string) {
	fmt.Fprintf(w, `
# Z-API
provider "whatsapp" {
  zapi = {
    base_url      = %[1]q
    instance_id   = "demo-instance"
    token         = "demo-token"
    client_token  = "demo-client-token"
    partner_token = %[2]q
  }
}
%[3]s
# EnviaAI
provider "whatsapp" {
  enviaai = {
    base_url    = %[1]q
    api_key     = "demo-api-key"
    instance_id = "inst_demo"
  }
}
%[4]s`, url, emulator.DefaultZAPIPartnerToken, exports("zapi", url), exports("enviaai", url))
}

func exports(backend, url string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(envLines(backend, url)), "\n") {
		b.WriteString("# export " + line + "\n")
	}
	return b.String()
}
