// Command whatsapp-emulator serves the emulated Z-API and EnviaAI chat APIs
// on a loopback address, for demos and manual testing.
//
// It prints one line, "listening on http://127.0.0.1:PORT", and serves until
// SIGINT or SIGTERM.
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
	verbose       bool
	opts          emulator.Options
	faults        emulator.Faults
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("whatsapp-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
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
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if err := checkLoopback(c.addr); err != nil {
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
		if err := writeURLFile(cfg.urlFile, url); err != nil {
			ln.Close()
			return err
		}
		defer os.Remove(cfg.urlFile)
	}
	fmt.Fprintf(stdout, "listening on %s\n", url)
	return serve(ctx, ln, handler)
}

// writeURLFile renames a finished file into place so a reader polling for
// the file never sees half a URL.
func writeURLFile(path, url string) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(url), 0o644); err != nil {
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
