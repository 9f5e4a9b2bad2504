package emulator

import (
	"fmt"
	"time"
)

// The instances each emulated account holds besides its configured ones,
// each in a state an audit must tell apart. Z-API's take the configured
// token; EnviaAI's belong to the configured API key.
const (
	// ZAPIExpiringInstance is connected and its paid period ends in 5 days.
	ZAPIExpiringInstance = "expiring-instance"
	// EnviaAIConnectingInstance is connecting to WhatsApp.
	EnviaAIConnectingInstance = "inst_connecting"
	// EnviaAIPairingInstance waits for its QR code to be scanned.
	EnviaAIPairingInstance = "inst_pairing"
	// DefaultZAPIPartnerToken is the partner token of the default credentials.
	DefaultZAPIPartnerToken = "demo-partner-token"
	// HooksBase is where the seeded webhooks point; some point elsewhere.
	HooksBase = "https://hooks.example.com/"
)

// zapiHookFields are the *CallbackUrl fields of Z-API's /me, in the
// reference's order.
var zapiHookFields = []string{
	"connectedCallbackUrl", "deliveryCallbackUrl", "disconnectedCallbackUrl", "messageStatusCallbackUrl",
	"presenceChatCallbackUrl", "receivedCallbackUrl", "initialDataCallbackUrl",
}

// zapiInstance is one Z-API instance before it takes its wire forms. Its
// paid period ends due after the server started, so audits of "ends more
// than N days from now" give the same verdict whenever they run, and every
// read of one server the same date.
type zapiInstance struct {
	id, token, name string
	connected       bool
	phoneConnected  bool
	sentence        string // the status endpoint's "error" text
	meRefused       bool   // /me answers "You are not connected."
	due             time.Duration
	dueSeconds      bool // /me sends due in seconds instead of milliseconds
	paymentStatus   string
	created         time.Time
	hooks           map[string]string // *CallbackUrl field -> URL; absent means ""
	autoRead        bool
	rejectCalls     bool
	rejectMessage   string
	sentByMe        bool
	queued          int // messages in its queue (queue/count)
}

func zapiInstances(opts Options) []*zapiInstance {
	creds, extra := opts.ZAPI, opts.Instances
	list := []*zapiInstance{
		{
			id: creds.InstanceID, token: creds.Token, name: "Atendimento", connected: true, phoneConnected: true,
			sentence: "You are already connected.", due: 90 * day, dueSeconds: true, paymentStatus: "paid",
			created: epoch.Add(-400 * day),
			hooks: map[string]string{
				"receivedCallbackUrl":      HooksBase + "zapi/received",
				"deliveryCallbackUrl":      HooksBase + "zapi/delivery",
				"messageStatusCallbackUrl": HooksBase + "zapi/status",
				// One webhook left on an old host, for audits to find.
				"disconnectedCallbackUrl": "https://old-hooks.example.net/zapi/disconnected",
			},
			autoRead: true, rejectCalls: true, rejectMessage: "Não atendemos ligações por aqui.",
			queued: 2,
		},
		{
			id: ZAPIDisconnectedInstance, token: creds.Token, name: "Vendas", phoneConnected: true,
			sentence: "You need to restore the session.", meRefused: true, due: 30 * day, paymentStatus: "paid",
			created: epoch.Add(-200 * day), queued: 137, // piled up while disconnected
		},
		{
			id: ZAPIExpiringInstance, token: creds.Token, name: "Cobrança", connected: true, phoneConnected: false,
			sentence: "You are already connected.", due: 5 * day, paymentStatus: "pending",
			created: epoch.Add(-25 * day),
			hooks: map[string]string{
				"connectedCallbackUrl":    HooksBase + "zapi/connected",
				"presenceChatCallbackUrl": HooksBase + "zapi/presence",
				"initialDataCallbackUrl":  HooksBase + "zapi/initial",
			},
			sentByMe: true,
		},
	}
	if opts.PaidFor > 0 {
		list[0].due = opts.PaidFor
	}
	switch opts.State {
	case StateDisconnected:
		list[0].connected, list[0].sentence = false, "You need to restore the session."
	case StateConnecting, StatePairing:
		list[0].connected, list[0].phoneConnected, list[0].sentence = false, false, "You are not connected."
	}
	for i := range extra {
		list = append(list, &zapiInstance{
			id: fmt.Sprintf("branch-%03d", i+1), token: fmt.Sprintf("branch-token-%03d", i+1), name: fmt.Sprintf("Filial %03d", i+1),
			connected: i%3 != 2, phoneConnected: i%3 != 2, due: time.Duration(i%60+1) * day, paymentStatus: "paid",
			created: epoch.Add(-time.Duration(i) * day), queued: (i % 3 / 2) * (i + 1),
		})
	}
	return list
}

// enviaInstanceInfo is one EnviaAI instance before it takes its wire forms.
type enviaInstanceInfo struct {
	id, name, status               string
	phone, profileName, profilePic string // "" is sent as null
	created, lastSeen, connectedAt time.Time
	webhook                        string   // "" is sent as null
	webhookEvents                  []string // nil until a PATCH sets them; never sent
	autoRead, autoTyping           bool
	qrCode                         string // only while qr_pending
	statusRefused                  bool   // the status endpoint answers instance_disconnected
	sent, received, active, unread int
	uptime, latency                int
	deliveryRate                   float64
}

func enviaInstances(opts Options) []*enviaInstanceInfo {
	ids, extra := opts.EnviaAI.InstanceIDs, opts.Instances
	var list []*enviaInstanceInfo
	for i, id := range ids {
		in := &enviaInstanceInfo{
			id: id, name: "Instance " + id, status: "connected",
			phone: fmt.Sprintf("55119876500%02d", i), profileName: "Loja Centro", profilePic: "https://pps.whatsapp.net/v/t61/profile-" + id + ".jpg",
			created: epoch.Add(-time.Duration(300-i) * day), lastSeen: epoch.Add(-time.Minute), connectedAt: epoch.Add(-3 * day),
			webhook: HooksBase + "enviaai/" + id, autoTyping: true,
			sent: 120 + i, received: 340 + i, active: 42, unread: 17, uptime: 259200, latency: 85, deliveryRate: 0.985,
		}
		switch i {
		case 0:
			in.name, in.autoRead = "Atendimento", true
			if opts.Unread != nil {
				in.unread = *opts.Unread
			}
			configuredState(in, opts.State)
		case 1:
			// A webhook left on an old host, for audits to find.
			in.webhook = "https://old-hooks.example.net/enviaai/" + id
		}
		list = append(list, in)
	}
	list = append(list,
		&enviaInstanceInfo{
			id: EnviaAIDisconnectedInstance, name: "Vendas", status: "disconnected",
			created: epoch.Add(-200 * day), lastSeen: epoch.Add(-10 * day), statusRefused: true,
			webhook: "https://old-hooks.example.net/enviaai/sales",
		},
		&enviaInstanceInfo{
			id: EnviaAIConnectingInstance, name: "Suporte Noturno", status: "connecting",
			created: epoch.Add(-60 * day), lastSeen: epoch.Add(-time.Hour), autoTyping: true,
		},
		&enviaInstanceInfo{
			id: EnviaAIPairingInstance, name: "Nova Filial", status: "qr_pending", created: epoch.Add(-1 * day),
			qrCode: "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAQAAAAEAQMAAABmvDolAAAABlBMVEX///8AAABVwtN+AAAAQR0lEQVR4nO3BMQEAAADCoPVPbQ0PoAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		},
	)
	states := []string{"connected", "disconnected", "connecting", "qr_pending"}
	for i := range extra {
		list = append(list, &enviaInstanceInfo{
			id: fmt.Sprintf("inst_branch_%03d", i+1), name: fmt.Sprintf("Filial %03d", i+1), status: states[i%len(states)],
			created: epoch.Add(-time.Duration(i) * day),
		})
	}
	return list
}

// configuredState puts the first EnviaAI instance in Options.State, as the
// seeded instances in that state are.
func configuredState(in *enviaInstanceInfo, state string) {
	switch state {
	case StateDisconnected:
		in.status, in.phone, in.profileName, in.connectedAt, in.statusRefused = "disconnected", "", "", time.Time{}, true
	case StateConnecting:
		in.status, in.phone, in.connectedAt = "connecting", "", time.Time{}
	case StatePairing:
		in.status, in.phone, in.connectedAt = "qr_pending", "", time.Time{}
		in.qrCode = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
	}
}
