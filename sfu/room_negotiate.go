package sfu

import (
	"time"

	"strconv"
	"strings"

	"github.com/plainrtc/plainrtc/rtp"
	"github.com/plainrtc/plainrtc/sdp"
)

// negotiation is a participant's offer/answer state after the join
// (docs/SIGNALING.md): the client offered once, over HTTP; from then on
// only the room offers, one offer at a time, so there is never glare.
// Changes wait in queues while an offer is outstanding and go into the
// next one.
type negotiation struct {
	cfg     *sdp.Config  // our transport attributes; Tracks holds the sections we send on
	local   *sdp.Session // our last applied description (the answer, then our offers)
	remote  *sdp.Session // theirs
	version int          // of our last offer
	nextMid int

	pending *pendingOffer
	due     bool // changes queued since the last offer was made

	addQ     []*track // tracks of others to start sending
	stopQ    []string // mids to stop
	publishQ []string // kinds the client asked to publish
}

// pendingOffer is an offer sent and not yet answered.
type pendingOffer struct {
	sdp     *sdp.Session
	raw     string
	version int
	sends   map[string]pendingSend // new sections we send on, by mid
	receive map[string]string      // new sections the client is to send on: kind by mid
	stops   []string
	stopped map[string]sdp.LocalTrack // what the stopped sections sent, for a rollback
}

type pendingSend struct {
	t             *track
	ssrc, rtxSSRC uint32
}

func newNegotiation(cfg *sdp.Config, local, remote *sdp.Session) *negotiation {
	n := &negotiation{cfg: cfg, local: local, remote: remote}
	for _, s := range []*sdp.Session{local, remote} {
		for i := range s.Media {
			if mid, ok := s.Media[i].MID(); ok {
				if v, err := strconv.Atoi(mid); err == nil && v >= n.nextMid {
					n.nextMid = v + 1
				}
			}
		}
	}
	return n
}

func (n *negotiation) mid() string {
	m := strconv.Itoa(n.nextMid)
	n.nextMid++
	return m
}

func (n *negotiation) idle() bool {
	return len(n.addQ) == 0 && len(n.stopQ) == 0 && len(n.publishQ) == 0
}

// codecsFor is the one codec a section forwarding t offers: the
// publisher's format (the subscriber's payload type is whatever the offer
// binds), with its feedback.
func codecsFor(t *track) []sdp.Codec {
	c := sdp.Codec{Kind: t.kind, Name: t.codec.Name, ClockRate: t.codec.Clock, FMTP: t.codec.Fmtp, PayloadType: t.codec.PT}
	if t.codec.Channels > 0 || strings.EqualFold(t.codec.Name, "opus") {
		c.Channels = strconv.Itoa(max(t.codec.Channels, 2))
	}
	for _, fb := range supportedFeedback(t.codec.FB, t.kind) {
		typ, param, _ := strings.Cut(fb, " ")
		c.Feedback = append(c.Feedback, sdp.RTCPFB{Type: typ, Param: param})
	}
	if t.kind == "video" {
		// NACKs are answered with RTX (RFC 4588) where the subscriber
		// takes it: a retransmission on its own SSRC and sequence space
		// never reuses an SRTP index.
		for _, d := range sdp.DefaultCodecs() {
			if strings.EqualFold(d.Name, c.Name) && d.RTXPayloadType != 0 {
				c.RTXPayloadType = d.RTXPayloadType
				break
			}
		}
	}
	return []sdp.Codec{c}
}

// publishCodecs are what a section the client is asked to send on offers:
// the codecs the SFU forwards best (Opus; VP8).
func publishCodecs(kind string) []sdp.Codec {
	var out []sdp.Codec
	for _, c := range sdp.DefaultCodecs() {
		if c.Kind == kind && (strings.EqualFold(c.Name, "opus") || strings.EqualFold(c.Name, "VP8")) {
			out = append(out, c)
		}
	}
	return out
}

// wantOffer marks p for an offer: changes made by one input (a join adds
// several tracks) go into one offer, made when the room's outputs are
// polled (makeOffers).
func (r *room) wantOffer(p *peer) {
	if p.neg != nil {
		p.neg.due = true
	}
}

// makeOffers makes the offers that are due.
func (r *room) makeOffers() {
	for _, p := range r.order {
		if p.neg != nil && p.neg.due {
			p.neg.due = false
			r.negotiate(p)
		}
	}
}

// negotiate makes p's next offer if it can (signaling open, no offer
// outstanding) and has anything to change.
func (r *room) negotiate(p *peer) {
	n := p.neg
	if n == nil || !p.signalReady || n.pending != nil || n.idle() {
		return
	}
	po := &pendingOffer{sends: map[string]pendingSend{}, receive: map[string]string{}, stopped: map[string]sdp.LocalTrack{}}
	var ch sdp.OfferChanges
	for _, t := range n.addQ {
		if t.pub.closed || t.ended {
			continue
		}
		mid := n.mid()
		ssrc := r.newSSRC()
		lt := sdp.LocalTrack{StreamID: t.pub.id, TrackID: t.id, SSRC: ssrc, CNAME: "plainrtc-" + t.pub.id}
		if t.kind == "video" {
			lt.RTXSSRC = r.newSSRC()
		}
		ch.Add = append(ch.Add, sdp.NewTrack{Kind: t.kind, MID: mid, Track: lt, Codecs: codecsFor(t)})
		n.cfg.Tracks[mid] = lt
		po.sends[mid] = pendingSend{t: t, ssrc: ssrc, rtxSSRC: lt.RTXSSRC}
	}
	for _, kind := range n.publishQ {
		mid := n.mid()
		ch.Add = append(ch.Add, sdp.NewTrack{Kind: kind, MID: mid, Receive: true, Codecs: publishCodecs(kind)})
		po.receive[mid] = kind
	}
	for _, mid := range n.stopQ {
		if lt, ok := n.cfg.Tracks[mid]; ok {
			po.stopped[mid] = lt
		}
		delete(n.cfg.Tracks, mid)
		ch.Stop = append(ch.Stop, mid)
	}
	po.stops = n.stopQ
	n.addQ, n.publishQ, n.stopQ = nil, nil, nil
	if len(ch.Add) == 0 && len(ch.Stop) == 0 {
		return
	}
	off, err := sdp.Offer(n.local, n.remote, n.cfg, ch)
	if err != nil {
		r.log.Warn("cannot make an offer", "peer", p.id, "err", err)
		r.sendError(p, "offer-failed", err.Error())
		return
	}
	n.version++
	po.sdp, po.raw, po.version = off, string(off.Marshal()), n.version
	n.pending = po
	p.stats.offers++
	r.signal(p, map[string]any{"type": "offer", "sdp": po.raw, "version": po.version})
}

// handleAnswer applies p's answer to the outstanding offer: the sections
// it accepted start (we send on them; or, for a section the client was
// asked to publish on, its track joins the room), stopped ones end.
func (r *room) handleAnswer(p *peer, raw string, version int, now time.Time) {
	n := p.neg
	if n == nil || n.pending == nil || n.pending.version != version {
		r.sendError(p, "no-offer", "no offer of version "+strconv.Itoa(version)+" is outstanding")
		return
	}
	po := n.pending
	a, err := parseOffer([]byte(raw)) // an answer has the same shape
	if err != nil {
		r.sendError(p, "bad-answer", err.Error())
		n.pending = nil
		return
	}
	if len(a.Media) != len(po.sdp.Media) {
		r.sendError(p, "bad-answer", "the answer has "+strconv.Itoa(len(a.Media))+" m= sections, the offer "+strconv.Itoa(len(po.sdp.Media))+" (RFC 3264 §6)")
		n.pending = nil
		return
	}
	n.pending = nil
	n.local, n.remote = po.sdp, a.SDP
	r.exchanges = append(r.exchanges, sdpExchange{to: p, offer: []byte(po.raw), answer: []byte(raw)})
	for _, mid := range po.stops {
		r.stopSection(p, mid, now)
	}
	for _, m := range a.Media {
		if s, ok := po.sends[m.Mid]; ok {
			r.startSending(p, m, s, now)
		}
		if kind, ok := po.receive[m.Mid]; ok {
			r.startReceiving(p, m, kind, now)
		}
	}
	r.wantOffer(p)
}

// startSending creates the outgoing stream of an accepted section that
// forwards s.t to p.
func (r *room) startSending(p *peer, m offerMedia, s pendingSend, now time.Time) {
	if m.Rejected || s.t.pub.closed || s.t.ended {
		if !m.Rejected {
			p.neg.stopQ = append(p.neg.stopQ, m.Mid) // its track ended meanwhile
		}
		delete(p.neg.cfg.Tracks, m.Mid)
		return
	}
	c, ok := matchCodec(m.Codecs, s.t.codec)
	if !ok {
		r.log.Warn("answer dropped the forwarded codec", "peer", p.id, "mid", m.Mid)
		p.neg.stopQ = append(p.neg.stopQ, m.Mid)
		delete(p.neg.cfg.Tracks, m.Mid)
		return
	}
	c.FB = supportedFeedback(c.FB, m.Kind)
	exts := answerExtmaps(m.Extmaps, subscribeExtensions)
	d := &downTrack{sub: p, kind: m.Kind, mid: m.Mid, ssrc: s.ssrc, codec: c, ext: exts}
	if pt, ok := rtxFor(m.Codecs, c.PT); ok && s.rtxSSRC != 0 {
		d.rtxPT, d.rtxSSRC = pt, s.rtxSSRC
		p.downBySSRC[d.rtxSSRC] = d
	}
	d.rw = newRewriter(d.ssrc, c, m.Kind, exts)
	p.downs = append(p.downs, d)
	p.downBySSRC[d.ssrc] = d
	d.attach(s.t)
	if p.ready {
		r.requestKeyframe(s.t, now)
	}
}

// startReceiving takes the track of a section p was asked to publish on.
func (r *room) startReceiving(p *peer, m offerMedia, kind string, now time.Time) {
	if m.Rejected || (m.Direction != "sendonly" && m.Direction != "sendrecv") {
		p.neg.stopQ = append(p.neg.stopQ, m.Mid)
		return
	}
	t := r.newTrack(p, m, now)
	if t == nil {
		r.sendError(p, "bad-answer", "no codec the SFU can receive in section "+m.Mid)
		p.neg.stopQ = append(p.neg.stopQ, m.Mid)
		return
	}
	r.trackAdded(t, now)
}

// stopSection ends what p's section mid carried: our stream to p, or the
// track p published on it.
func (r *room) stopSection(p *peer, mid string, now time.Time) {
	for i, d := range p.downs {
		if d.mid == mid {
			d.attach(nil)
			delete(p.downBySSRC, d.ssrc)
			delete(p.downBySSRC, d.rtxSSRC)
			p.downs = append(p.downs[:i], p.downs[i+1:]...)
			break
		}
	}
	if t := p.byMid[mid]; t != nil {
		r.endTrack(t, now)
	}
}

// newTrack creates the track p sends on section m (its join offer, or an
// answer to a section it was asked to publish on), answered with a single
// codec (RFC 8829 §5.3.1).
func (r *room) newTrack(p *peer, m offerMedia, now time.Time) *track {
	c, ok := chooseReceiveCodec(m)
	if !ok {
		return nil
	}
	c.FB = supportedFeedback(c.FB, m.Kind)
	exts := answerExtmaps(m.Extmaps, publishExtensions)
	t := &track{id: p.id + "-" + m.Mid, pub: p, kind: m.Kind, mid: m.Mid, codec: c, ext: exts,
		codecName: strings.ToLower(c.Name)}
	if m.Kind == "video" {
		t.cache = newTrackCache(videoCachePackets, videoCacheBytes)
	} else {
		t.cache = newTrackCache(audioCachePackets, audioCacheBytes)
	}
	// SSRCs from a=ssrc; with an FID group the second is RTX
	// (RFC 4588 §8.3, RFC 5576 §4.2).
	for _, f := range m.FIDs {
		t.ssrc, t.rtx = f[0], f[1]
	}
	if t.ssrc == 0 && len(m.SSRCs) > 0 {
		t.ssrc = m.SSRCs[0]
	}
	if t.ssrc != 0 {
		p.bySSRC[t.ssrc] = t
	}
	if t.rtx != 0 {
		p.bySSRC[t.rtx] = t
	}
	for _, x := range exts {
		switch x.URI {
		case rtp.URIMid:
			p.midExtID = x.ID
		case rtp.URIAudioLevel:
			t.levelExtID = x.ID
		}
	}
	for _, fb := range c.FB {
		if fb == "nack" {
			t.nackable = t.kind == "video"
		}
	}
	p.byMid[m.Mid] = t
	p.tracks = append(p.tracks, t)
	p.rsize = p.rsize || m.RTCPRsize
	return t
}

// rtxFor finds the RTX format (RFC 4588 §8.1: rtx with apt=pt) among an
// answer's codecs.
func rtxFor(codecs []codec, pt uint8) (uint8, bool) {
	for _, c := range codecs {
		if strings.EqualFold(c.Name, "rtx") && c.fmtpParam("apt") == strconv.Itoa(int(pt)) {
			return c.PT, true
		}
	}
	return 0, false
}

// rollback abandons p's outstanding offer (the client rolls it back too,
// RFC 9429 §4.1.10.2): what it carried goes back in the queues, to be
// offered again.
func (n *negotiation) rollback() {
	po := n.pending
	if po == nil {
		return
	}
	n.pending = nil
	n.version++ // an answer to the abandoned offer no longer matches
	for mid, s := range po.sends {
		delete(n.cfg.Tracks, mid)
		n.addQ = append(n.addQ, s.t)
	}
	for _, kind := range po.receive {
		n.publishQ = append(n.publishQ, kind)
	}
	for mid, lt := range po.stopped {
		n.cfg.Tracks[mid] = lt
	}
	n.stopQ = append(n.stopQ, po.stops...)
	n.due = true
}

// answerRestart answers the offer of a participant that restarts ICE (a
// network change; docs/SIGNALING.md, PATCH): the one time a participant
// offers after its join. Our outstanding offer, if any, is rolled back
// and re-offered after; the answer keeps every section as negotiated, with
// our new ICE credentials and the established DTLS role (RFC 8842 §5).
func (r *room) answerRestart(p *peer, o *offer, creds sdp.Config, setup sdp.Setup) ([]byte, error) {
	n := p.neg
	if n == nil {
		return nil, badf("not a participant")
	}
	if len(o.SDP.Media) != len(n.remote.Media) {
		return nil, badf("an ICE restart offer must keep the %d m= sections as negotiated (RFC 9429 §5.2.2), it has %d", len(n.remote.Media), len(o.SDP.Media))
	}
	n.rollback()
	n.cfg.ICEUfrag, n.cfg.ICEPwd = creds.ICEUfrag, creds.ICEPwd
	cfg := *n.cfg
	cfg.Setup = setup
	cfg.Codecs = sdp.DefaultCodecs()
	cfg.DataChannel = true
	ans, err := sdp.Answer(o.SDP, &cfg)
	if err != nil {
		return nil, &badSDP{err.Error()}
	}
	n.local, n.remote = ans, o.SDP
	p.stats.offers++
	r.wantOffer(p)
	b := ans.Marshal()
	r.exchanges = append(r.exchanges, sdpExchange{to: p, offer: o.Raw, answer: b})
	return b, nil
}
