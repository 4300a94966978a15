package sdp

import (
	"strconv"
	"strings"
)

// NewTrack is a track the server starts sending in a subsequent offer.
type NewTrack struct {
	Kind  string // "audio" or "video"
	MID   string // "" picks an unused one
	Track LocalTrack
	// Receive makes the new section recvonly instead of sendonly, with no
	// msid or SSRC of ours: a section the answerer is asked to send on (a
	// browser attaches a track to that transceiver and answers sendonly).
	Receive bool
	// Codecs, when not nil, replace Config.Codecs for this section (e.g.
	// only the codec of the track it will carry).
	Codecs []Codec
}

// OfferChanges are the changes a server-initiated renegotiation makes.
type OfferChanges struct {
	Add  []NewTrack // new sendonly m= sections
	Stop []string   // mids whose m= sections stop (port 0)
}

// Offer builds a subsequent offer (RFC 9429 §5.2.2) from the current local
// description (the answer or offer the server last applied) and the
// current remote one, for an ICE-lite, BUNDLE-only server:
//
//   - o= keeps its sess-id and increments sess-version; s= and t= stay;
//   - every existing m= section keeps its index, media and mid; stopped
//     ones get port 0, lose a=msid and leave the BUNDLE group;
//   - an added track recycles an m= section with port 0 in the local or
//     remote description ("that m= section MUST be recycled ... including a
//     new MID value, and placing it at the same index"), else is appended;
//   - formats, rtcp-fb, extmap, rtcp-mux, rtcp-rsize, rid and simulcast of
//     existing sections are those of the current local description, which
//     as an answer holds only negotiated ones;
//   - new sections are sendonly with the configured codecs of their kind,
//     reusing the payload types and extension IDs already bound in the
//     BUNDLE group (RFC 9143 §9.1.1, RFC 8285 §6);
//   - ICE credentials stay; candidates appear only in the tagged section,
//     credentials, fingerprints and a=setup also in the other bundled ones
//     unless Config.StrictBundle; a=setup keeps the established
//     DTLS role (RFC 8842 §5: an offer that keeps the association keeps
//     the current role), not actpass.
//
// Deviation: RFC 9429 §5.2.1 forbids a=ice-lite in offers from browsers;
// an ICE-lite server must announce itself (RFC 8839 §5.3), so it is there.
func Offer(local, remote *Session, cfg *Config, ch OfferChanges) (*Session, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if len(local.Media) != len(remote.Media) {
		return nil, errorString("sdp: local and remote descriptions have different m= section counts (RFC 3264 §6)")
	}
	_, sessID, version, ok := local.Origin()
	if !ok {
		return nil, errorString("sdp: local description has no usable o= line (RFC 8866 §5.2)")
	}
	stop := map[string]bool{}
	for _, mid := range ch.Stop {
		stop[mid] = true
	}
	used := map[string]bool{}
	for _, s := range [2]*Session{local, remote} {
		for i := range s.Media {
			if mid, ok := s.Media[i].MID(); ok {
				used[mid] = true
			}
		}
	}
	adds := append([]NewTrack(nil), ch.Add...)
	for i := range adds {
		if adds[i].Kind != "audio" && adds[i].Kind != "video" {
			return nil, errorString("sdp: NewTrack kind must be audio or video")
		}
		if !hasCodec(adds[i].codecs(cfg), adds[i].Kind) {
			return nil, errorString("sdp: no configured " + adds[i].Kind + " codec for a new track (RFC 8866 §5.14: an m= line needs a format)")
		}
		if adds[i].MID == "" {
			adds[i].MID = freeMID(used)
		} else if used[adds[i].MID] {
			return nil, errorString("sdp: NewTrack mid " + adds[i].MID + " is already used (RFC 5888 §4)")
		}
		used[adds[i].MID] = true
	}
	bound := newBindings(local)

	// Plan: one entry per output section.
	type section struct {
		old   *Media    // existing section, or nil for a new one
		add   *NewTrack // new track, or nil
		dead  bool      // port 0
		mid   string
		media string
	}
	var plan []section
	for i := range local.Media {
		lm, rm := &local.Media[i], &remote.Media[i]
		mid, _ := lm.MID()
		closed := lm.MediaLine().Port == 0 && !lm.BundleOnly() || rm.MediaLine().Port == 0 && !rm.BundleOnly()
		plan = append(plan, section{old: lm, dead: closed || stop[mid], mid: mid, media: lm.MediaLine().Media})
	}
	// Recycle port-0 sections for added tracks (RFC 9429 §5.2.2: "that m=
	// section MUST be recycled ... placing it at the same index"), one of
	// the same media first. Only RTP sections are recycled: Firefox 153
	// refuses an offer that changes an m= line "to or from application".
	// Sections stopped by this offer are not recycled in it.
	taken := make([]bool, len(adds))
	for pass := 0; pass < 2; pass++ {
		for i := range plan {
			p := &plan[i]
			if !p.dead || p.old == nil || stop[p.mid] || p.old.MediaLine().Proto != ProtoRTP {
				continue
			}
			for j := range adds {
				if !taken[j] && (pass == 1 || adds[j].Kind == p.media) {
					taken[j] = true
					*p = section{add: &adds[j], mid: adds[j].MID, media: adds[j].Kind}
					break
				}
			}
		}
	}
	for j := range adds {
		if !taken[j] {
			plan = append(plan, section{add: &adds[j], mid: adds[j].MID, media: adds[j].Kind})
		}
	}

	// The tagged section: the first live one in m= line order. RFC 9143
	// §7.5 lets the offerer pick any bundled section ("either pick the m=
	// section that was previously selected ... or pick another"); Chromium
	// 156 answers with the first bundled m= section as its tag whatever the
	// offer's order, and fails to apply that answer when the two differ
	// (measured: a recycled slot 0 before the old tag), so they must agree.
	tagged := -1
	for i, p := range plan {
		if tagged < 0 && !p.dead {
			tagged = i
		}
	}
	if tagged < 0 {
		return nil, errorString("sdp: offer would have no live m= section to carry the BUNDLE transport (RFC 9143 §7.5)")
	}
	setup, _ := local.Setup(plan[tagged].old)
	if plan[tagged].old == nil || !setup.Valid() {
		setup, _ = local.Setup(nil)
		for i := range local.Media {
			if s, ok := local.Setup(&local.Media[i]); ok {
				setup = s
				break
			}
		}
	}
	if !setup.Valid() {
		setup = SetupActpass
	}

	var b Builder
	addr, port := cfg.defaultCandidate()
	b.Line('v', "0").Line('o', Origin(sessID, version+1, "0.0.0.0"))
	for _, l := range local.SessionLines() {
		if l.Type == 's' || l.Type == 't' {
			b.Lines(l)
		}
	}
	group := "BUNDLE " + plan[tagged].mid
	for i, p := range plan {
		if !p.dead && i != tagged {
			group += " " + p.mid
		}
	}
	b.Attr("group", group).Flag("ice-lite")
	if local.HasAttribute("extmap-allow-mixed") {
		b.Flag("extmap-allow-mixed")
	}
	for i, p := range plan {
		if p.dead {
			ml := p.old.MediaLine()
			b.Line('m', ml.Media+" 0 "+ml.Proto+" "+ml.Formats).Line('c', "IN IP4 0.0.0.0")
			if p.mid != "" {
				b.Attr("mid", p.mid)
			}
			continue
		}
		if p.old != nil {
			ml := p.old.MediaLine()
			b.Line('m', ml.Media+" "+strconv.Itoa(port)+" "+ml.Proto+" "+ml.Formats)
		} else {
			b.Line('m', p.media+" "+strconv.Itoa(port)+" "+ProtoRTP+" "+strings.Join(bound.formatsFor(p.media, p.add.codecs(cfg)), " "))
		}
		b.Line('c', Connection(addr))
		if i == tagged || !cfg.StrictBundle {
			b.Attr("ice-ufrag", cfg.ICEUfrag).Attr("ice-pwd", cfg.ICEPwd)
			for _, f := range cfg.Fingerprints {
				b.Attr("fingerprint", f.String())
			}
			b.Attr("setup", string(setup))
		}
		b.Attr("mid", p.mid)
		if p.old != nil {
			offerExisting(&b, local, p.old, cfg)
		} else {
			offerNew(&b, p.add, bound, cfg)
		}
		if i == tagged {
			for _, c := range cfg.Candidates {
				b.Attr("candidate", c.String())
			}
			b.Flag("end-of-candidates")
		}
	}
	return b.Session()
}

func hasCodec(codecs []Codec, kind string) bool {
	for _, c := range codecs {
		if c.Kind == kind {
			return true
		}
	}
	return false
}

// freeMID returns one more than the largest decimal mid in used (or "0"),
// so that a recycled section gets a mid not seen recently: a mid that
// once named another section could be taken for it (RFC 9429 §5.2.2 asks
// for "a new MID value").
func freeMID(used map[string]bool) string {
	next := 0
	for mid := range used {
		if n, err := strconv.Atoi(mid); err == nil && n >= next && n < 1<<30 {
			next = n + 1
		}
	}
	for used[strconv.Itoa(next)] {
		next++
	}
	return strconv.Itoa(next)
}

// offerExisting copies the negotiated attributes of a live section and
// sets its direction and msid from cfg.Tracks.
func offerExisting(b *Builder, local *Session, m *Media, cfg *Config) {
	mid, _ := m.MID()
	track, sending := cfg.Tracks[mid]
	ml := m.MediaLine()
	if ml.Proto == ProtoSCTP {
		for _, l := range m.Lines {
			if l.IsAttribute("sctp-port") || l.IsAttribute("max-message-size") {
				b.Lines(l)
			}
		}
		return
	}
	// The server keeps receiving what it received; it sends where it has
	// a track (RFC 3264 §5.1, offerer's view).
	b.Flag(string(makeDirection(sending, local.Direction(m).Receives())))
	rtx := false
	for _, l := range m.Lines {
		name, v, _ := l.Attribute()
		switch name {
		case "rtcp-mux", "rtcp-rsize", "rtcp-fb", "fmtp", "extmap", "rid", "simulcast":
			b.Lines(l)
		case "rtpmap":
			b.Lines(l)
			if r, err := ParseRTPMap(v); err == nil && strings.EqualFold(r.Encoding, "rtx") {
				rtx = true
			}
		}
	}
	if sending {
		b.Attr("msid", track.msid())
		writeSSRCs(b, track, rtx)
	}
}

func (t *NewTrack) codecs(cfg *Config) []Codec {
	if t.Codecs != nil {
		return t.Codecs
	}
	return cfg.codecs()
}

// offerNew writes a new sendonly (or, with t.Receive, recvonly) section for t.
func offerNew(b *Builder, t *NewTrack, bound *bindings, cfg *Config) {
	dir := SendOnly
	if t.Receive {
		dir = RecvOnly
	}
	b.Flag(string(dir)).Flag("rtcp-mux").Flag("rtcp-rsize")
	rtx := false
	for _, c := range t.codecs(cfg) {
		if c.Kind != t.Kind {
			continue
		}
		bc := bound.pts(&c)
		pt, rtxPT := bc.pt, bc.rtx
		r := RTPMap{PayloadType: pt, Encoding: c.Name, ClockRate: c.ClockRate, Params: c.Channels}
		b.Attr("rtpmap", r.String())
		if bc.fmtp != "" {
			b.Attr("fmtp", strconv.Itoa(int(pt))+" "+bc.fmtp)
		}
		for _, fb := range c.Feedback {
			b.Attr("rtcp-fb", strconv.Itoa(int(pt))+" "+fb.Type+optional(fb.Param))
		}
		if rtxPT != 0 {
			rtx = true
			b.Attr("rtpmap", strconv.Itoa(int(rtxPT))+" rtx/"+strconv.FormatUint(uint64(c.ClockRate), 10))
			b.Attr("fmtp", strconv.Itoa(int(rtxPT))+" apt="+strconv.Itoa(int(pt)))
		}
	}
	for _, uri := range cfg.extensions() {
		if uri == ExtRTPStreamID || uri == ExtRepairedRTPStreamID || uri == ExtAudioLevel && t.Kind != "audio" {
			continue // simulcast receive ids and audio level do not apply to a sent track
		}
		if id := bound.extID(uri); id != 0 {
			b.Attr("extmap", strconv.Itoa(id)+" "+uri)
		}
	}
	if t.Receive {
		return
	}
	b.Attr("msid", t.Track.msid())
	writeSSRCs(b, t.Track, rtx)
}
