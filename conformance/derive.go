package conformance

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/plainrtc/plainrtc/internal/demux"
	"github.com/plainrtc/plainrtc/srtp"
	"github.com/plainrtc/plainrtc/stun"
)

// Variant is a way to trim or rearrange a real corpus session into another
// session that is still self-consistent: every packet left is a captured
// one (or, for full-ice, a STUN message built here and said to be so),
// every signature still verifies, and the SDPs say what the capture shows.
// The suites run on every variant of every folder (ForEachDerived), so no
// suite can assume the one setup the seeds were recorded with.
type Variant struct {
	Name, Doc string
	sdp       func(offer, answer sdpText) (sdpText, sdpText)
	capture   func(s *Session) ([]Datagram, error)
}

// Variants are the derivations, in the order the suites run them.
var Variants = []Variant{
	{
		Name: "audio-only",
		Doc: "video m= sections removed from both SDPs (and from BUNDLE); the SRTP packets whose payload " +
			"type belongs to a video section and the SRTCP compounds naming a video SSRC removed from the capture",
		sdp:     func(o, a sdpText) (sdpText, sdpText) { return dropKind(o, a, "video") },
		capture: func(s *Session) ([]Datagram, error) { return dropMediaOf(s, "video") },
	},
	{
		Name: "data-only",
		Doc: "only the data channel's m= section left in both SDPs; every SRTP and SRTCP datagram " +
			"removed: STUN and DTLS (with SCTP inside) remain",
		sdp: func(o, a sdpText) (sdpText, sdpText) {
			o, a = dropKind(o, a, "audio")
			return dropKind(o, a, "video")
		},
		capture: func(s *Session) ([]Datagram, error) {
			return filter(s.Datagrams, func(d Datagram) bool {
				c := demux.Classify(d.Payload)
				return c != demux.RTP && c != demux.RTCP
			}), nil
		},
	},
	{
		Name: "browser-answerer",
		Doc: "offer and answer swapped: the server's description is presented as the offer (a=setup:active " +
			"becomes actpass, RFC 8842 §5.2) and the browser's as the answer (actpass becomes passive, so the " +
			"server stays the DTLS client, §5.3); the capture is unchanged. The ICE-lite side is now the offerer " +
			"and the browser, a full agent, still controls (RFC 8445 §6.1.1)",
		sdp: func(o, a sdpText) (sdpText, sdpText) {
			a.replaceLines("a=setup:active", "a=setup:actpass")
			o.replaceLines("a=setup:actpass", "a=setup:passive")
			return a, o
		},
	},
	{
		Name: "dtls-roles-swapped",
		Doc: "every non-STUN datagram mirrored (source and destination exchanged), so the browser sent the " +
			"ClientHello and the media the server sent, and the other way round; the answer says a=setup:passive " +
			"(the offerer is the DTLS client, RFC 8842 §5.3), sendonly and recvonly trade places, and the a=ssrc, a=ssrc-group, a=msid, a=simulcast " +
			"and a=rid lines move with the media they describe, the a=fingerprint lines with the certificates. STUN stays as captured",
		sdp: func(o, a sdpText) (sdpText, sdpText) {
			a.replaceLines("a=setup:active", "a=setup:passive")
			swapSourceLines(&o, &a)
			swapFingerprints(&o, &a)
			// The media is mirrored too: what a side sent, the other now
			// sends (RFC 3264 §6: sendonly answers recvonly). Sessions that
			// send both ways (sendrecv) are unchanged by this.
			for _, t := range []*sdpText{&o, &a} {
				t.replaceLines("a=sendonly", "a=\x00recvonly")
				t.replaceLines("a=recvonly", "a=sendonly")
				t.replaceLines("a=\x00recvonly", "a=recvonly")
			}
			return o, a
		},
		capture: func(s *Session) ([]Datagram, error) {
			out := slices.Clone(s.Datagrams)
			for i := range out {
				if demux.Classify(out[i].Payload) != demux.STUN {
					out[i].Src, out[i].Dst = out[i].Dst, out[i].Src
				}
			}
			return out, nil
		},
	},
	{
		Name: "full-ice",
		Doc: "a=ice-lite removed from the ICE-lite side's SDP; after each captured check, the other side's " +
			"check on the same pair and its answer are inserted. Those two STUN messages are SYNTHESIZED here " +
			"with stun.Builder (not captured): the request carries ICE-CONTROLLED, PRIORITY and USERNAME " +
			"\"<browser ufrag>:<server ufrag>\" and is signed with the browser's ice-pwd (the receiver's, RFC 8445 " +
			"§7.2.2), the response carries XOR-MAPPED-ADDRESS and is signed with the same password (its sender's). " +
			"Each pair goes just before the captured check it mirrors, so the capture's first check is the answerer's",
		sdp: func(o, a sdpText) (sdpText, sdpText) {
			o.dropSessionLine("a=ice-lite")
			a.dropSessionLine("a=ice-lite")
			return o, a
		},
		capture: synthesizeFullICE,
	},
}

// VariantByName returns the named variant.
func VariantByName(name string) (Variant, bool) {
	for _, v := range Variants {
		if v.Name == name {
			return v, true
		}
	}
	return Variant{}, false
}

// DeriveSDP applies a variant to an offer and answer only (what the SDP
// tests need, without decoding a capture).
func DeriveSDP(name string, offer, answer []byte) (newOffer, newAnswer []byte, err error) {
	v, ok := VariantByName(name)
	if !ok {
		return nil, nil, fmt.Errorf("conformance: no variant %q", name)
	}
	o, a := splitSDP(offer), splitSDP(answer)
	if v.sdp != nil {
		o, a = v.sdp(o, a)
	}
	return o.bytes(), a.bytes(), nil
}

// DeriveFiles makes the folder contents of a variant of s: new SDPs, the
// capture as a classic pcap, the same key log, no meta.json or truth.json
// (the counts of the original no longer apply).
func DeriveFiles(s *Session, name string) (Files, error) {
	v, ok := VariantByName(name)
	if !ok {
		return Files{}, fmt.Errorf("conformance: no variant %q", name)
	}
	var f Files
	var err error
	if f.Offer, f.Answer, err = DeriveSDP(name, s.Offer, s.Answer); err != nil {
		return f, err
	}
	// Later exchanges (renegotiations, ICE restarts) get the same edit.
	for _, x := range s.Exchanges {
		o, a, err := DeriveSDP(name, x.Offer, x.Answer)
		if err != nil {
			return f, err
		}
		f.Exchanges = append(f.Exchanges, Exchange{N: x.N, Offer: o, Answer: a})
	}
	ds := s.Datagrams
	if v.capture != nil {
		if ds, err = v.capture(s); err != nil {
			return f, fmt.Errorf("conformance: %s/%s: %w", s.Name, name, err)
		}
	}
	if f.Capture, err = AppendPcap(nil, ds); err != nil {
		return f, err
	}
	f.KeyLog = s.keyLogFile
	return f, nil
}

// Derive returns the named variant of s, loaded with LoadFiles so that the
// roles, hellos and keys are derived from the new session, not copied.
// Results are cached per folder and variant.
func Derive(s *Session, name string) (*Session, error) {
	key := s.Dir
	if key == "" {
		key = s.Name
	}
	return cachedDerive(key+"\x00"+name, func() (*Session, error) {
		f, err := DeriveFiles(s, name)
		if err != nil {
			return nil, err
		}
		d, err := LoadFiles(s.Name+"/"+name, f)
		if err != nil {
			return nil, err
		}
		d.Derived = name
		d.Partial = len(d.Datagrams) < len(s.Datagrams)
		return d, nil
	})
}

func filter(ds []Datagram, keep func(Datagram) bool) []Datagram {
	var out []Datagram
	for _, d := range ds {
		if keep(d) {
			out = append(out, d)
		}
	}
	return out
}

func dropKind(o, a sdpText, kind string) (sdpText, sdpText) {
	keep := func(sec []string) bool { return sectionKind(sec) != kind }
	o.keepSections(keep)
	a.keepSections(keep)
	return o, a
}

// dropMediaOf removes the SRTP packets whose payload type is one of a
// kind's m= sections (payload types are unique in a BUNDLE group, RFC 9143
// §7.5.1, so the type says the section) and the SRTCP compounds that name
// any SSRC seen with such a type or declared in such a section.
func dropMediaOf(s *Session, kind string) ([]Datagram, error) {
	pts := map[uint8]bool{}
	ssrcs := map[uint32]bool{}
	sdps := [][]byte{s.Offer, s.Answer}
	for _, x := range s.Exchanges { // sections a renegotiation added
		sdps = append(sdps, x.Offer, x.Answer)
	}
	for _, b := range sdps {
		for _, sec := range splitSDP(b).sections {
			if sectionKind(sec) != kind {
				continue
			}
			for _, f := range sectionFormats(sec) {
				var pt uint8
				if _, err := fmt.Sscan(f, &pt); err == nil {
					pts[pt] = true
				}
			}
			for _, l := range sec {
				var ssrc uint32
				if v, ok := strings.CutPrefix(l, "a=ssrc:"); ok {
					if _, err := fmt.Sscan(v, &ssrc); err == nil {
						ssrcs[ssrc] = true
					}
				}
			}
		}
	}
	for _, d := range s.Datagrams {
		if demux.Classify(d.Payload) == demux.RTP && len(d.Payload) >= 12 && pts[d.Payload[1]&0x7f] {
			ssrcs[binary.BigEndian.Uint32(d.Payload[8:])] = true
		}
	}
	var out []Datagram
	for _, d := range s.Datagrams {
		switch demux.Classify(d.Payload) {
		case demux.RTP:
			if len(d.Payload) >= 12 && pts[d.Payload[1]&0x7f] {
				continue
			}
		case demux.RTCP:
			named, err := rtcpNamesSSRC(s, d, ssrcs)
			if err != nil {
				return nil, fmt.Errorf("frame %d: %w", d.N, err)
			}
			if named {
				continue
			}
		}
		out = append(out, d)
	}
	return out, nil
}

// rtcpNamesSSRC decrypts an SRTCP packet with a fresh context (the SRTCP
// index travels in the packet, RFC 3711 §3.4) and reports whether any RTCP
// packet in it names one of ssrcs as sender, report block, feedback target,
// SDES chunk or BYE source (RFC 3550 §6.4–6.6, RFC 4585 §6.1).
func rtcpNamesSSRC(s *Session, d Datagram, ssrcs map[uint32]bool) (bool, error) {
	key, salt := s.SRTPKeys(d)
	c, err := srtp.NewContext(srtp.Profile(s.SRTPProfile), key, salt)
	if err != nil {
		return false, err
	}
	clear, err := c.DecryptRTCP(slices.Clone(d.Payload))
	if err != nil {
		return false, err
	}
	for b := clear; len(b) >= 8; {
		n := 4 * (int(binary.BigEndian.Uint16(b[2:])) + 1)
		if n > len(b) {
			return false, fmt.Errorf("RTCP length %d exceeds the %d bytes left (RFC 3550 §6.4.1)", n, len(b))
		}
		p, count, pt := b[:n], int(b[0]&0x1f), b[1]
		b = b[n:]
		if len(p) < 8 {
			continue // no SSRC field (RFC 3550 §6.4.1 length 0)
		}
		var named []uint32
		switch pt {
		case 200, 201: // SR, RR: sender SSRC then report blocks
			named = append(named, binary.BigEndian.Uint32(p[4:]))
			off := 8
			if pt == 200 {
				off = 28
			}
			for i := 0; i < count && off+24 <= len(p); i, off = i+1, off+24 {
				named = append(named, binary.BigEndian.Uint32(p[off:]))
			}
		case 202: // SDES: each chunk starts with its SSRC, items end with a zero and pad to 32 bits
			for off, i := 4, 0; i < count && off+4 <= len(p); i++ {
				named = append(named, binary.BigEndian.Uint32(p[off:]))
				off += 4
				for off < len(p) && p[off] != 0 {
					if off+1 >= len(p) {
						break
					}
					off += 2 + int(p[off+1])
				}
				off = (off + 4) &^ 3
			}
		case 203: // BYE
			for i := 0; i < count && 4+4*i+4 <= len(p); i++ {
				named = append(named, binary.BigEndian.Uint32(p[4+4*i:]))
			}
		case 205, 206: // RTPFB, PSFB: sender and media source
			if len(p) >= 12 {
				named = append(named, binary.BigEndian.Uint32(p[4:]), binary.BigEndian.Uint32(p[8:]))
			}
		default:
			named = append(named, binary.BigEndian.Uint32(p[4:]))
		}
		for _, x := range named {
			if ssrcs[x] {
				return true, nil
			}
		}
	}
	return false, nil
}

// fullICETieBreaker is the synthesized checks' ICE-CONTROLLED value.
const fullICETieBreaker = 0x706c61696e727463 // "plainrtc"

// synthesizeFullICE inserts, just before each Binding request the capture
// has, one check in the other direction on the same pair and its success
// response (so the capture's first check is the answerer's, as happens when
// both full agents start checking at once). Both are SYNTHESIZED (built here with stun.Builder, not
// captured), as the side that answered in the capture would have sent them
// had it been a full agent: USERNAME "<requester's ufrag>:<its ufrag>",
// PRIORITY of a host candidate (RFC 8445 §5.1.2.1: type preference 126,
// local preference 65535, component 1), ICE-CONTROLLED (the other side
// controls), MESSAGE-INTEGRITY with the original requester's password (the
// receiver's, §7.2.2) and FINGERPRINT; the response has XOR-MAPPED-ADDRESS
// and is signed with the same password (the responder's own, §7.3).
func synthesizeFullICE(s *Session) ([]Datagram, error) {
	r := &s.Roles
	var out []Datagram
	var m stun.Message
	emit := func(req Datagram) error {
		side, ok := r.Sender(req)
		if !ok {
			return fmt.Errorf("frame %d: request from an address no side owns", req.N)
		}
		requester, responder := r.Peer(side), r.Peer(side.Other())
		var orig stun.Message
		if err := orig.Unmarshal(req.Payload); err != nil {
			return err
		}
		sum := sha256.Sum256(append([]byte("plainrtc synthesized check "), orig.TransactionID[:]...))
		var tid stun.TransactionID
		copy(tid[:], sum[:])
		mi := stun.NewShortTermIntegrity(requester.ICE.Pwd)
		var b stun.Builder
		b.Reset(nil, stun.BindingRequest, tid)
		b.AddUsername(requester.ICE.Ufrag + ":" + responder.ICE.Ufrag)
		b.AddPriority(126<<24 | 65535<<8 | 255)
		b.AddICEControlled(fullICETieBreaker)
		b.AddMessageIntegrity(mi)
		b.AddFingerprint()
		reqBytes, err := b.Bytes()
		if err != nil {
			return err
		}
		b.Reset(nil, stun.BindingSuccess, tid)
		b.AddXORMappedAddress(req.Dst)
		b.AddMessageIntegrity(mi)
		b.AddFingerprint()
		respBytes, err := b.Bytes()
		if err != nil {
			return err
		}
		out = append(out,
			Datagram{Time: req.Time.Add(-2 * time.Microsecond), Src: req.Dst, Dst: req.Src, Payload: reqBytes},
			Datagram{Time: req.Time.Add(-time.Microsecond), Src: req.Src, Dst: req.Dst, Payload: respBytes})
		return nil
	}
	for _, d := range s.Datagrams {
		if demux.Classify(d.Payload) == demux.STUN && m.Unmarshal(d.Payload) == nil && m.Type == stun.BindingRequest {
			if err := emit(d); err != nil {
				return nil, err
			}
		}
		out = append(out, d)
	}
	return out, nil
}

// derivedCache holds Derive's results per folder and variant.
var derivedCache = map[string]*loadOnce{}

func cachedDerive(key string, fn func() (*Session, error)) (*Session, error) {
	loadedMu.Lock()
	l := derivedCache[key]
	if l == nil {
		l = &loadOnce{}
		derivedCache[key] = l
	}
	loadedMu.Unlock()
	l.once.Do(func() { l.s, l.err = fn() })
	return l.s, l.err
}
