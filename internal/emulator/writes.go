package emulator

import (
	"bytes"
	"io"
	"net/http"
	"slices"
	"sync"
)

// Write is a request other than a GET, as received: what a test asserts
// when it checks which settings a client wrote.
type Write struct {
	Method string
	// Path is the request path; Z-API's holds the instance token.
	Path string
	// Body is the request body, up to 1 MiB.
	Body string
}

// maxLoggedBody bounds the body a Write keeps, as the write handlers read
// no more.
const maxLoggedBody = 1 << 20

type writeLog struct {
	mu     sync.Mutex
	writes []Write
}

// record logs r and gives its handler the whole body back.
func (l *writeLog) record(r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxLoggedBody))
	r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), r.Body))
	l.mu.Lock()
	defer l.mu.Unlock()
	l.writes = append(l.writes, Write{Method: r.Method, Path: r.URL.Path, Body: string(body)})
}

func (l *writeLog) all() []Write {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.writes)
}
