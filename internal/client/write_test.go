package client

import (
	"errors"
	"testing"
)

// A write whose connection is refused reached no API: it is retried like a
// read, and its error is the request's, never an unknown outcome.
func TestRefusedWriteReachedNoAPI(t *testing.T) {
	base := "http://" + closedAddr(t)
	on := true
	for name, c := range map[string]*Client{
		BackendZAPI:    newTestZAPI(t, base, testOptions()),
		BackendEnviaAI: newTestEnviaAI(t, base, testOptions()),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := c.UpdateInstanceSettings(t.Context(), "", InstanceSettings{AutoReadMessages: &on})
			if errors.As(err, new(*OutcomeUnknownError)) {
				t.Fatalf("a write that never connected is an unknown outcome: %v", err)
			}
			re := assertAs[*RequestError](t, err)
			if !re.NeverSent || re.Attempts != 4 || KindOf(err) != KindUnreachable {
				t.Errorf("never sent %v, %d attempts, kind %d; want true, 4, KindUnreachable: %v", re.NeverSent, re.Attempts, KindOf(err), err)
			}
		})
	}
}
