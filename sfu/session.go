package sfu

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"time"

	"github.com/pion/dtls/v3"

	"github.com/plainrtc/plainrtc/ice"
	"github.com/plainrtc/plainrtc/sfu/datachannel"
	"github.com/plainrtc/plainrtc/sfu/transport"
	"github.com/plainrtc/plainrtc/srtp"
)

// session is the I/O side of one peer: its ICE agent, its share of the
// socket, DTLS, SRTP contexts and data channels. The media logic is the
// room's peer. Fields below are guarded by its room's lock (rh.mu).
type session struct {
	s       *Server
	id      string
	kind    string
	room    string
	log     *slog.Logger
	created time.Time
	fps     []transport.Fingerprint
	role    transport.Role // our DTLS role
	setup   string         // our a=setup
	hasData bool
	// peerMaxMessage is the largest data channel message the peer takes,
	// from its a=max-message-size (RFC 8841 §6.1).
	peerMaxMessage uint32

	ctx    context.Context
	cancel context.CancelFunc

	rh *roomHost // its room's driver, set when it joins

	token  string // the client's own token (participants): a rejoin with it replaces this session
	secret string // issued at join; authorises leave by HTTP; never listed

	// Guarded by rh.mu.
	p         *peer
	agent     *ice.Agent
	tp        *transport.Peer
	connected bool // ICE nominated
	// handshakeStarted: the DTLS goroutine runs (or ran). As the server
	// it starts with the answer; as the client at the first nomination.
	handshakeStarted bool
	secured          bool // DTLS done, SRTP keys installed
	srtpRemote       *srtp.Context
	assoc            *datachannel.Association
	ended            bool
	endReason        string
	srtpDrops        uint64
	dropIn           inboundDropper // Config.DropInbound
	// obs watch the session (Config.Record): set before its transport
	// peer exists, then only read.
	obs   []sessionObserver
	inBuf [1500]byte
}

func newSession(s *Server, id, kind, room string, o *offer, fps []transport.Fingerprint, now time.Time) (*session, error) {
	agent, err := ice.NewAgent(ice.Config{})
	if err != nil {
		return nil, err
	}
	if _, err := agent.SetRemoteCredentials(ice.Credentials{Ufrag: o.Ufrag, Pwd: o.Pwd}, now); err != nil {
		return nil, &badSDP{err.Error()}
	}
	for _, a := range s.adverts {
		if _, err := agent.AddHostCandidate(a); err != nil {
			return nil, err
		}
	}
	x := &session{s: s, id: id, kind: kind, room: room, created: now, fps: fps, agent: agent,
		log: s.log.With("session", id, "kind", kind, "room", room)}
	if x.role, x.setup, err = dtlsRole(o.Setup); err != nil {
		return nil, err
	}
	x.peerMaxMessage = o.peerMaxMessageSize()
	x.dropIn = newInboundDropper(s.cfg.DropInbound)
	s.noteOfferQuirks(o, x.log)
	x.ctx, x.cancel = context.WithCancel(context.Background())
	return x, nil
}

// HandleSTUN implements transport.Handler: the ICE agent authenticates and
// answers the connectivity check (RFC 8445 §7.3, ICE-lite §2.5).
func (x *session) HandleSTUN(msg []byte, from netip.AddrPort) transport.STUNVerdict {
	s := x.s
	x.rh.mu.Lock()
	defer x.rh.mu.Unlock()
	if x.ended {
		return transport.STUNRejected
	}
	now := time.Now()
	before := x.agent.Stats().Nominations
	err := x.agent.HandleSTUN(msg, s.mux.LocalAddrPort(), from, now)
	for t, ok := x.agent.PollTransmit(); ok; t, ok = x.agent.PollTransmit() {
		if _, werr := x.tp.WriteTo(t.Payload, t.Dst); werr != nil {
			s.counters.writeFailures.Add(1)
		}
	}
	x.pollEvents()
	switch {
	case errors.Is(err, ice.ErrNotRequest) && isBindingIndication(msg):
		// RFC 8445 §11: keepalives are Binding Indications, which the
		// lite agent neither answers nor authenticates. They are normal.
		return transport.STUNIndication
	case errors.Is(err, ice.ErrRoleConflict), errors.Is(err, ice.ErrUnknownAttribute), errors.Is(err, ice.ErrBadRequest):
		// Authenticated, answered with a signed 487/420/400 (RFC 8445
		// §7.3.1.1, RFC 8489 §6.3.1): the source is the peer's, nothing
		// is nominated. Not an authentication failure.
		return transport.STUNAccepted
	case err != nil:
		return transport.STUNRejected
	case x.agent.Stats().Nominations > before:
		x.nominatedLocked(from)
		return transport.STUNNominated
	}
	return transport.STUNAccepted
}

func (x *session) pollEvents() {
	for ev, ok := x.agent.PollEvent(); ok; ev, ok = x.agent.PollEvent() {
		switch ev.Kind {
		case ice.EventConnected:
			x.connected = true
			x.log.Info("ICE connected", "nominated_local", ev.Pair.Local.String(), "nominated_remote", ev.Pair.Remote.String(),
				"after", ev.Time.Sub(x.created).Round(time.Millisecond).String())
		case ice.EventSelectedPairChanged:
			x.log.Info("ICE selected pair changed", "local", ev.Pair.Local.String(), "remote", ev.Pair.Remote.String())
		case ice.EventConsentLost:
			// RFC 7675 §5.1: stop sending media (and DTLS) at once;
			// the session ends on the next timer tick.
			x.tp.StopSending()
			x.log.Info("ICE consent lost", "remote", ev.Pair.Remote.String())
		}
	}
}

// timeout runs the agent's consent timer and the connect deadline; it
// returns why the session must end, or "".
func (x *session) timeout(now time.Time) string {
	if x.ended {
		return ""
	}
	x.agent.HandleTimeout(now)
	x.pollEvents()
	if x.agent.ConsentLost() {
		return "ICE consent expired (RFC 7675 §5.1)"
	}
	if !x.secured && now.Sub(x.created) >= x.s.cfg.ConnectTimeout {
		return x.stalledStageLocked()
	}
	return ""
}

// stalledStageLocked says which stage of a session that did not connect
// within Config.ConnectTimeout never finished: ICE (no authenticated
// USE-CANDIDATE) or DTLS (nominated, but no handshake completed).
func (x *session) stalledStageLocked() string {
	limit := x.s.cfg.ConnectTimeout.String()
	if !x.connected {
		return "ICE not connected within " + limit + " (no authenticated check with USE-CANDIDATE, RFC 8445 §7.3.1.5)"
	}
	if x.role == transport.RoleClient {
		return "DTLS not established within " + limit + " (ICE connected; the peer never completed the handshake our ClientHello started)"
	}
	return "DTLS not established within " + limit + " (ICE connected; the peer's handshake as DTLS client never completed)"
}

// startHandshake is called once the answer is written. As the DTLS
// server the SFU starts waiting for the ClientHello at once (datagrams from
// addresses ICE authenticated are queued until then); as the client it
// waits for the nomination (nominatedLocked).
func (x *session) startHandshake() {
	if x.role != transport.RoleServer {
		return
	}
	x.rh.mu.Lock()
	defer x.rh.mu.Unlock()
	x.startHandshakeLocked()
}

// startHandshakeLocked starts the DTLS goroutine once, unless the session
// ended or the server is closing. Called with its room lock held.
func (x *session) startHandshakeLocked() {
	if x.handshakeStarted {
		return
	}
	x.handshakeStarted = x.s.goLocked(x, x.handshake)
}

// handshake runs DTLS (pion/dtls blocks), bounded by the session's connect
// deadline, then installs the SRTP contexts and, if negotiated, starts
// SCTP. A peer that goes silent mid-handshake is left to pion's
// retransmissions until that deadline.
func (x *session) handshake() {
	s := x.s
	ctx, cancel := context.WithDeadline(x.ctx, x.created.Add(s.cfg.ConnectTimeout))
	defer cancel()
	sess, err := x.tp.Handshake(ctx, transport.DTLSParams{Role: x.role, RemoteFingerprints: x.fps, KeyLogWriter: x.keyLog()})
	if err != nil {
		if x.ctx.Err() != nil {
			return // ended meanwhile (DELETE, Close, timer): already reported
		}
		reason := "DTLS handshake failed: " + err.Error()
		switch {
		case errors.Is(err, transport.ErrFingerprintMismatch):
			reason = "DTLS certificate does not match a=fingerprint (RFC 8122 §5)"
		case ctx.Err() != nil:
			x.rh.mu.Lock()
			reason = x.stalledStageLocked()
			x.rh.mu.Unlock()
		}
		s.end(x, reason)
		return
	}
	local, remote, err := srtp.FromKeyingMaterial(srtp.Profile(sess.Keys.Profile), sess.Keys.KeyingMaterial, x.role == transport.RoleClient)
	if err != nil {
		s.end(x, "SRTP keys: "+err.Error())
		return
	}
	cipher := ""
	var peerCert []byte
	if c, ok := sess.Conn.(*dtls.Conn); ok {
		if st, ok := c.ConnectionState(); ok {
			cipher = st.CipherSuiteID.String()
			if len(st.PeerCertificates) > 0 {
				peerCert = st.PeerCertificates[0]
			}
		}
	}
	if len(x.obs) > 0 {
		x.sawHandshake(handshakeInfo{Role: x.role, CipherSuite: cipher, Profile: uint16(sess.Keys.Profile),
			KeyingMaterial: append([]byte(nil), sess.Keys.KeyingMaterial...), PeerCert: peerCert, Fingerprints: x.fps})
	}
	h := x.rh
	h.mu.Lock()
	if x.ended {
		h.mu.Unlock()
		return
	}
	x.srtpRemote, x.secured = remote, true
	x.p.sender.keys.Store(local) // from now on its worker's alone
	h.room.setReady(x.p, time.Now())
	h.flush() // keyframe requests for a subscriber's sources
	h.mu.Unlock()
	x.log.Info("DTLS established", "role", x.role.String(), "cipher", cipher, "srtp_profile", sess.Keys.Profile.String(),
		"after", time.Since(x.created).Round(time.Millisecond).String())
	if x.hasData {
		x.runDataChannels(sess)
	} else {
		x.watchDTLS(sess)
	}
}

// watchDTLS reads the DTLS connection of a session without data channels,
// only to notice its end: a close_notify alert (RFC 5246 §7.2.1) from a
// closed RTCPeerConnection ends the session at once instead of after the
// 30 s consent timeout. Application data is not expected and is ignored.
func (x *session) watchDTLS(sess *transport.Session) {
	buf := make([]byte, 1500)
	for {
		if _, err := sess.Conn.Read(buf); err != nil {
			if x.ctx.Err() == nil {
				x.s.end(x, "DTLS closed by peer ("+err.Error()+")")
			}
			return
		}
	}
}

// runDataChannels starts SCTP over DTLS (RFC 8261) and echoes every message
// on every channel the peer opens (RFC 8831, DCEP RFC 8832). Channels the
// SFU would open itself take ids of its DTLS role's parity: even as the
// client, odd as the server (RFC 8832 §6).
func (x *session) runDataChannels(sess *transport.Session) {
	role := datachannel.RoleServer
	if x.role == transport.RoleClient {
		role = datachannel.RoleClient
	}
	a, err := datachannel.NewAssociation(x.ctx, sess.Conn, datachannel.Config{Role: role, Logger: x.log,
		MaxMessageSize: x.peerMaxMessage})
	if err != nil {
		if x.ctx.Err() == nil {
			x.log.Warn("SCTP association failed", "err", err)
		}
		return
	}
	x.rh.mu.Lock()
	if x.ended {
		x.rh.mu.Unlock()
		a.Close()
		return
	}
	x.assoc = a
	x.rh.mu.Unlock()
	x.sawEvent("sctp", "SCTP association established over DTLS (data channels)", "RFC 8261 §3")
	for {
		ch, err := a.Accept(x.ctx)
		if err != nil {
			if x.ctx.Err() == nil {
				x.s.end(x, "SCTP association ended ("+err.Error()+")")
			}
			return
		}
		x.log.Info("data channel open", "label", ch.Label(), "protocol", ch.Protocol(), "stream", ch.StreamID())
		if len(x.obs) > 0 {
			x.sawEvent("dcep", fmt.Sprintf("data channel opened by the participant: DATA_CHANNEL_OPEN label %q protocol %q on stream %d, answered with DATA_CHANNEL_ACK",
				ch.Label(), ch.Protocol(), ch.StreamID()), "RFC 8832 §5.1")
		}
		serve := func() { x.echo(ch) }
		if x.kind == KindParticipant && ch.Protocol() == SignalProtocol {
			serve = func() { x.runSignaling(ch) }
		}
		if !x.s.goSession(x, serve) {
			_ = ch.Close()
		}
	}
}

// HandleRTP implements transport.Handler: unprotect (RFC 3711 §3.3) and give
// the packet to the engine.
func (x *session) HandleRTP(pkt []byte, from netip.AddrPort) {
	x.handleSRTP(pkt, from, false)
}

// HandleRTCP implements transport.Handler (RFC 3711 §3.4, RFC 5761).
func (x *session) HandleRTCP(pkt []byte, from netip.AddrPort) {
	x.handleSRTP(pkt, from, true)
}

func (x *session) handleSRTP(pkt []byte, from netip.AddrPort, isRTCP bool) {
	reason, err := x.unprotectAndRoute(pkt, isRTCP)
	if err != nil {
		// Reported after the room's lock is released: the mux may log.
		x.s.mux.ReportSRTPDrop(reason, from, err)
	}
}

// unprotectAndRoute decrypts pkt and hands it to the room under the
// room's lock; it returns the drop reason and error of a packet SRTP
// refused.
func (x *session) unprotectAndRoute(pkt []byte, isRTCP bool) (transport.DropReason, error) {
	s := x.s
	h := x.rh
	h.mu.Lock()
	defer h.mu.Unlock()
	if x.ended {
		return 0, nil
	}
	if !x.secured {
		s.counters.srtpBeforeKeys.Add(1)
		return 0, nil
	}
	if len(pkt) > len(x.inBuf) {
		s.counters.srtpOther.Add(1)
		return 0, nil
	}
	if !isRTCP && x.dropIn.drop() {
		s.counters.inboundDropped.Add(1)
		return 0, nil
	}
	b := x.inBuf[:copy(x.inBuf[:], pkt)]
	var plain []byte
	var err error
	if isRTCP {
		plain, err = x.srtpRemote.DecryptRTCP(b)
	} else {
		plain, err = x.srtpRemote.DecryptRTP(b)
	}
	if err != nil {
		x.srtpDrops++
		switch {
		case errors.Is(err, srtp.ErrReplayed), errors.Is(err, srtp.ErrTooOld):
			s.counters.srtpReplay.Add(1)
			return transport.DropReplay, err
		case errors.Is(err, srtp.ErrAuthFailed):
			s.counters.srtpAuth.Add(1)
		default:
			s.counters.srtpOther.Add(1)
		}
		return transport.DropSRTPAuth, err
	}
	now := time.Now()
	if isRTCP {
		h.room.handleRTCP(x.p, plain, now)
	} else {
		h.room.handleRTP(x.p, plain, now)
	}
	h.flush()
	return 0, nil
}

// release closes what may block: the DTLS connection, SCTP, the mux peer.
// Called without mu, after endLocked.
func (x *session) release() {
	x.cancel()
	x.rh.mu.Lock()
	a, tp := x.assoc, x.tp
	x.assoc = nil
	x.rh.mu.Unlock()
	x.s.leaveRoom(x)
	if a != nil {
		a.Close()
	}
	if tp != nil {
		tp.Close()
	}
}
