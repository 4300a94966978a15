package lint

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/rtcp"
	"github.com/plainrtc/plainrtc/rtp"
	"github.com/plainrtc/plainrtc/sdp"
)

// negotiated is what the answer's accepted RTP sections allow.
type negotiated struct {
	pts    map[uint8]bool
	extIDs map[uint8]string // id -> URI
	rsize  bool             // a=rtcp-rsize in the offer and the answer (RFC 5506 §5)
	rtp    bool             // an accepted RTP section exists
}

func isRTPProto(proto string) bool { return strings.Contains(proto, "RTP/") }

func (l *linter) negotiated() negotiated {
	n := negotiated{pts: map[uint8]bool{}, extIDs: map[uint8]string{}}
	if l.answer == nil || l.offer == nil {
		return n
	}
	// Every exchange's answer counts: a renegotiation (offer-2.sdp,
	// answer-2.sdp, …) may add sections and with them payload types and
	// extension ids (RFC 3264 §8, JSEP RFC 9429 §5.2.2).
	pairs := [][2]*sdp.Session{{l.offer, l.answer}}
	for _, x := range l.s.Exchanges {
		o, errO := sdp.Parse(x.Offer)
		a, errA := sdp.Parse(x.Answer)
		if errO == nil && errA == nil {
			pairs = append(pairs, [2]*sdp.Session{o, a})
		}
	}
	rsizeOffer, rsizeAnswer := false, false
	for _, pair := range pairs {
		offer, answer := pair[0], pair[1]
		for i := range answer.Media {
			m := &answer.Media[i]
			ml := m.MediaLine()
			if m.Rejected() || !isRTPProto(ml.Proto) {
				continue
			}
			n.rtp = true
			ml.EachFormat(func(f string) {
				if v, err := strconv.Atoi(f); err == nil && v >= 0 && v < 128 {
					n.pts[uint8(v)] = true
				}
			})
			for e := range answer.ExtMaps(m) {
				if e.ID > 0 && e.ID < 256 {
					n.extIDs[uint8(e.ID)] = e.URI
				}
			}
			rsizeAnswer = rsizeAnswer || m.HasAttribute("rtcp-rsize")
			if i < len(offer.Media) {
				rsizeOffer = rsizeOffer || offer.Media[i].HasAttribute("rtcp-rsize")
			}
		}
	}
	n.rsize = rsizeOffer && rsizeAnswer
	return n
}

// rtpRules checks payload types and header extension ids of every
// decrypted RTP packet.
func (l *linter) rtpRules(pkts []decrypted) (pt, ext [2]*finding) {
	pt, ext = perSide(RulePayloadType), perSide(RuleHeaderExtension)
	n := l.negotiated()
	var counts [2]struct{ pkts, elems int }
	for _, p := range pkts {
		if p.rtcp {
			continue
		}
		var h rtp.Header
		if _, err := h.Unmarshal(p.clear); err != nil {
			pt[p.side].checked++
			pt[p.side].violate(p.frame, "RTP header does not parse: %v", err)
			continue
		}
		counts[p.side].pkts++
		pt[p.side].checked++
		if !n.pts[h.PayloadType] {
			pt[p.side].violate(p.frame, "payload type %d (SSRC %08x) is in no accepted m= line of the answer (negotiated: %s)", h.PayloadType, h.SSRC, ptList(n.pts))
		}
		form := rtp.ExtensionFormOf(h.ExtensionProfile)
		if !h.Extension || form == rtp.ExtensionFormNone {
			continue
		}
		e := ext[p.side]
		e.checked++
		if form == rtp.ExtensionFormOneByte && hasOneByteID15(h.ExtensionPayload) {
			e.violate(p.frame, "one-byte header extension element with id 15, which is reserved (RFC 8285 §4.2)")
		}
		it := h.Extensions()
		for el, ok := it.Next(); ok; el, ok = it.Next() {
			counts[p.side].elems++
			if _, ok := n.extIDs[el.ID]; !ok {
				e.violate(p.frame, "header extension id %d (SSRC %08x) is not negotiated by any a=extmap of the answer (negotiated: %s)", el.ID, h.SSRC, extList(n.extIDs))
			}
		}
	}
	for i := range 2 {
		side := conformance.Side(i)
		pt[i].passDetail = fmt.Sprintf("%d RTP packets, every payload type negotiated (%s)", counts[i].pkts, ptList(n.pts))
		pt[i].naDetail = fmt.Sprintf("no authenticated RTP from the %s", side)
		ext[i].passDetail = fmt.Sprintf("%d extension elements, every id negotiated", counts[i].elems)
		ext[i].naDetail = fmt.Sprintf("no RTP header extensions from the %s", side)
	}
	return pt, ext
}

// hasOneByteID15 walks a one-byte extension block (RFC 8285 §4.2) and
// reports an element header with id 15.
func hasOneByteID15(b []byte) bool {
	for i := 0; i < len(b); {
		id, l := b[i]>>4, int(b[i]&0x0f)+1
		switch {
		case b[i] == 0:
			i++
			continue
		case id == 15:
			return true
		case id == 0:
			i++
			continue
		}
		i += 1 + l
	}
	return false
}

func ptList(m map[uint8]bool) string {
	var v []int
	for k := range m {
		v = append(v, int(k))
	}
	slices.Sort(v)
	return strings.Trim(fmt.Sprint(v), "[]")
}

func extList(m map[uint8]string) string {
	var v []int
	for k := range m {
		v = append(v, int(k))
	}
	slices.Sort(v)
	return strings.Trim(fmt.Sprint(v), "[]")
}

// rtcpRules checks the first packet of every compound and the SR
// timestamps.
func (l *linter) rtcpRules(pkts []decrypted) (comp, mono [2]*finding) {
	comp, mono = perSide(RuleRTCPCompound), perSide(RuleSRMonotonic)
	n := l.negotiated()
	type last struct {
		ntp   uint64
		rtp   uint32
		frame int
	}
	var (
		prev    [2]map[uint32]last
		reduced [2]int
		srs     [2]int
	)
	for i := range prev {
		prev[i] = map[uint32]last{}
	}
	for _, p := range pkts {
		if !p.rtcp {
			continue
		}
		c := comp[p.side]
		c.checked++
		var err error
		if n.rsize {
			err = rtcp.ValidateReducedSize(p.clear)
		} else {
			err = rtcp.ValidateCompound(p.clear)
		}
		if err != nil {
			c.violate(p.frame, "%v", err)
		}
		it := rtcp.NewIterator(p.clear)
		var pk rtcp.Packet
		first := true
		for it.Next(&pk) {
			if first && pk.Type != rtcp.TypeSenderReport && pk.Type != rtcp.TypeReceiverReport {
				reduced[p.side]++
			}
			first = false
			if pk.Type != rtcp.TypeSenderReport {
				continue
			}
			var sr rtcp.SenderReport
			if sr.Unmarshal(pk.Raw) != nil {
				continue
			}
			srs[p.side]++
			m := mono[p.side]
			m.checked++
			if q, ok := prev[p.side][sr.SSRC]; ok {
				switch {
				case sr.NTPTime < q.ntp:
					m.warn(p.frame, "SR of SSRC %08x moves NTP time back from %s (frame %d) to %s", sr.SSRC, ntpString(q.ntp), q.frame, ntpString(sr.NTPTime))
				case sr.NTPTime > q.ntp && int32(sr.RTPTime-q.rtp) < 0:
					m.violate(p.frame, "SR of SSRC %08x: NTP time advances %s but the RTP timestamp goes back from %d (frame %d) to %d", sr.SSRC, ntpDelta(sr.NTPTime-q.ntp), q.rtp, q.frame, sr.RTPTime)
				}
			}
			prev[p.side][sr.SSRC] = last{sr.NTPTime, sr.RTPTime, p.frame}
		}
	}
	for i := range 2 {
		side := conformance.Side(i)
		rs := "reduced-size not negotiated"
		if n.rsize {
			rs = "reduced-size negotiated (a=rtcp-rsize both ways)"
		}
		comp[i].passDetail = fmt.Sprintf("%d compounds valid, %d begin with other than SR/RR; %s", comp[i].checked, reduced[i], rs)
		comp[i].naDetail = fmt.Sprintf("no authenticated SRTCP from the %s", side)
		mono[i].passDetail = fmt.Sprintf("%d SRs, NTP and RTP timestamps advance per SSRC", srs[i])
		mono[i].naDetail = fmt.Sprintf("no SR from the %s", side)
	}
	return comp, mono
}

func ntpString(t uint64) string { return fmt.Sprintf("%d.%06d", t>>32, (t&0xffffffff)*1e6>>32) }

func ntpDelta(d uint64) string {
	return fmt.Sprintf("%.3fs", float64(d)/float64(1<<32))
}
