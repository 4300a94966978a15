package lint

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/internal/demux"
	"github.com/plainrtc/plainrtc/rtp"
	"github.com/plainrtc/plainrtc/srtp"
)

// decrypted is an SRTP or SRTCP packet that authenticated, in clear.
type decrypted struct {
	frame int
	time  time.Time
	side  conformance.Side
	rtcp  bool
	clear []byte
}

// srtpFindings are the SRTP rules per sending side, and what decrypted.
type srtpFindings struct {
	auth, rtcpAuth, reuse, duplicate, roc [2]*finding
	clear                                 []decrypted
}

// indexKey names one SRTP index (ROC || SEQ, RFC 3711 §3.3.1) or SRTCP
// index (§3.4) of one SSRC.
type indexKey struct {
	ssrc  uint32
	index int64
	rtcp  bool
}

type firstUse struct {
	frame int
	raw   []byte
	clear []byte
}

// srtpSide is the receiver's state for one sender: the SRTP context a
// receiver would run (ROC tracking, replay window), and every index seen.
type srtpSide struct {
	rx        *srtp.Context
	key, salt []byte
	highest   map[uint32]int64
	seen      map[indexKey]firstUse
	wrapped   map[uint32]int // SSRC -> first frame that authenticated with ROC > 0
	afterWrap int
	rtp, rtcp int
}

// estimateIndex is RFC 3711 Appendix A: the index of seq relative to the
// highest authenticated index of its SSRC.
func estimateIndex(highest int64, seq uint16) int64 {
	roc, sl, s := highest>>16, highest&0xffff, int64(seq)
	v := roc
	if sl < 1<<15 {
		if s-sl > 1<<15 && roc > 0 {
			v = roc - 1
		}
	} else if sl-(1<<15) > s {
		v = roc + 1
	}
	return v<<16 | s
}

// srtp decrypts every SRTP and SRTCP packet of the capture as its receiver
// would, with its sender's write key (RFC 5764 §4.2), and applies the SRTP
// rules.
func (l *linter) srtp() srtpFindings {
	s := l.s
	f := srtpFindings{auth: perSide(RuleSRTPAuth), rtcpAuth: perSide(RuleSRTCPAuth), reuse: perSide(RuleIndexReuse),
		duplicate: perSide(RuleDuplicate), roc: perSide(RuleROC)}
	profile := srtp.Profile(s.SRTPProfile)
	var sides [2]*srtpSide
	ctxErr := ""
	for _, d := range s.Datagrams {
		c := demux.Classify(d.Payload)
		if c != demux.RTP && c != demux.RTCP {
			continue
		}
		side, ok := s.Roles.Sender(d)
		if !ok {
			continue
		}
		st := sides[side]
		if st == nil {
			key, salt := s.SRTPKeys(d)
			rx, err := srtp.NewContext(profile, key, salt)
			if err != nil {
				ctxErr = fmt.Sprintf("no SRTP context for %s: %v", profile, err)
				continue
			}
			st = &srtpSide{rx: rx, key: key, salt: salt, highest: map[uint32]int64{}, seen: map[indexKey]firstUse{}, wrapped: map[uint32]int{}}
			sides[side] = st
		}
		if c == demux.RTP {
			st.rtp++
			l.srtpPacket(&f, st, side, d, profile)
		} else {
			st.rtcp++
			l.srtcpPacket(&f, st, side, d, profile)
		}
	}
	for i := range 2 {
		side := conformance.Side(i)
		st := sides[i]
		na := fmt.Sprintf("the %s sent no SRTP", side)
		if ctxErr != "" {
			na += " (" + ctxErr + ")"
		}
		for _, x := range []*finding{f.auth[i], f.rtcpAuth[i], f.reuse[i], f.duplicate[i], f.roc[i]} {
			x.naDetail = na
		}
		if st == nil {
			continue
		}
		f.auth[i].passDetail = fmt.Sprintf("%d SRTP packets authenticate with the %s's write key (%s)", st.rtp, side, profile)
		f.rtcpAuth[i].passDetail = fmt.Sprintf("%d SRTCP packets authenticate", st.rtcp)
		f.rtcpAuth[i].naDetail = fmt.Sprintf("the %s sent no SRTCP", side)
		f.reuse[i].passDetail = fmt.Sprintf("%d SRTP/SRTCP indices, none protected twice with different content", len(st.seen))
		f.duplicate[i].passDetail = fmt.Sprintf("no packet of the %d indices sent twice", len(st.seen))
		if len(st.wrapped) > 0 {
			f.roc[i].checked++
			for ssrc, frame := range st.wrapped {
				f.roc[i].passDetail = fmt.Sprintf("SSRC %08x wrapped its sequence number at frame %d; %d packets after a wrap authenticate with the incremented ROC", ssrc, frame, st.afterWrap)
				break
			}
		} else {
			f.roc[i].naDetail = fmt.Sprintf("no SSRC of the %s wrapped its sequence number in this capture (every ROC stayed 0)", side)
		}
	}
	return f
}

func (l *linter) srtpPacket(f *srtpFindings, st *srtpSide, side conformance.Side, d conformance.Datagram, profile srtp.Profile) {
	p := d.Payload
	auth := f.auth[side]
	auth.checked++
	if len(p) < 12 {
		auth.violate(d.N, "%d-byte SRTP packet is shorter than an RTP header", len(p))
		return
	}
	ssrc, seq := binary.BigEndian.Uint32(p[8:12]), binary.BigEndian.Uint16(p[2:4])
	index := int64(seq)
	if h, ok := st.highest[ssrc]; ok {
		index = estimateIndex(h, seq)
	}
	clear, err := st.rx.DecryptRTP(bytes.Clone(p))
	switch {
	case err == nil:
		st.accept(f, side, d, indexKey{ssrc, index, false}, clear, false)
		if index > st.highest[ssrc] || !hasKey(st.highest, ssrc) {
			st.highest[ssrc] = index
		}
		if index>>16 > 0 {
			st.afterWrap++
			if _, ok := st.wrapped[ssrc]; !ok {
				st.wrapped[ssrc] = d.N
			}
		}
	case errors.Is(err, srtp.ErrReplayed) || errors.Is(err, srtp.ErrTooOld):
		clear, ok := decryptAt(profile, st, p, ssrc, index)
		if !ok {
			auth.violate(d.N, "SSRC %08x seq %d (index %d) fails authentication", ssrc, seq, index)
			return
		}
		st.resent(f, side, d, indexKey{ssrc, index, false}, clear, fmt.Sprintf("SSRC %08x seq %d (ROC %d)", ssrc, seq, index>>16))
	case errors.Is(err, srtp.ErrAuthFailed):
		for _, roc := range []int64{index>>16 - 1, index>>16 + 1, 0} {
			if roc < 0 || roc == index>>16 {
				continue
			}
			if _, ok := decryptAt(profile, st, p, ssrc, roc<<16|int64(seq)); ok {
				f.roc[side].checked++
				f.roc[side].violate(d.N, "SSRC %08x seq %d authenticates only with ROC %d, where the receiver's rollover counter is %d: the sender did not keep its ROC (RFC 3711 §3.3.1); receivers drop such packets", ssrc, seq, roc, index>>16)
				return
			}
		}
		auth.violate(d.N, "SSRC %08x seq %d (index %d) fails authentication (%v)", ssrc, seq, index, err)
	default:
		auth.violate(d.N, "SSRC %08x seq %d: %v", ssrc, seq, err)
	}
}

func hasKey(m map[uint32]int64, k uint32) bool { _, ok := m[k]; return ok }

// decryptAt authenticates and decrypts p with a fresh context whose
// rollover counter for ssrc places p at index: what a receiver without
// replay state would do.
func decryptAt(profile srtp.Profile, st *srtpSide, p []byte, ssrc uint32, index int64) ([]byte, bool) {
	c, err := srtp.NewContext(profile, st.key, st.salt)
	if err != nil {
		return nil, false
	}
	c.SetROC(ssrc, uint32(index>>16))
	clear, err := c.DecryptRTP(bytes.Clone(p))
	return clear, err == nil
}

func (l *linter) srtcpPacket(f *srtpFindings, st *srtpSide, side conformance.Side, d conformance.Datagram, profile srtp.Profile) {
	p := d.Payload
	auth := f.rtcpAuth[side]
	auth.checked++
	tagLen := profile.RTCPTagLen()
	if len(p) < 8+4+tagLen {
		auth.violate(d.N, "%d-byte SRTCP packet is shorter than header, index and tag", len(p))
		return
	}
	ssrc := binary.BigEndian.Uint32(p[4:8])
	var trailer uint32
	if profile.IsAEAD() {
		trailer = binary.BigEndian.Uint32(p[len(p)-4:])
	} else {
		trailer = binary.BigEndian.Uint32(p[len(p)-tagLen-4:])
	}
	index := int64(trailer &^ (1 << 31))
	key := indexKey{ssrc, index, true}
	clear, err := st.rx.DecryptRTCP(bytes.Clone(p))
	switch {
	case err == nil:
		st.accept(f, side, d, key, clear, true)
	case errors.Is(err, srtp.ErrReplayed) || errors.Is(err, srtp.ErrTooOld):
		c, cerr := srtp.NewContext(profile, st.key, st.salt)
		if cerr != nil {
			return
		}
		clear, err := c.DecryptRTCP(bytes.Clone(p))
		if err != nil {
			auth.violate(d.N, "SRTCP SSRC %08x index %d fails authentication (%v)", ssrc, index, err)
			return
		}
		st.resent(f, side, d, key, clear, fmt.Sprintf("SRTCP SSRC %08x", ssrc))
	default:
		auth.violate(d.N, "SRTCP SSRC %08x index %d fails authentication (%v)", ssrc, index, err)
	}
}

// accept records a packet the receiver's context took.
func (st *srtpSide) accept(f *srtpFindings, side conformance.Side, d conformance.Datagram, k indexKey, clear []byte, rtcp bool) {
	if _, ok := st.seen[k]; !ok {
		st.seen[k] = firstUse{d.N, d.Payload, bytes.Clone(clear)}
	}
	f.reuse[side].checked++
	f.duplicate[side].checked++
	f.clear = append(f.clear, decrypted{frame: d.N, time: d.Time, side: side, rtcp: rtcp, clear: bytes.Clone(clear)})
}

// resent classifies a packet whose index the receiver had already seen:
// the same bytes again (a duplicate, which the replay check drops), or
// other content under the same index (keystream reuse, RFC 3711 §9.1).
func (st *srtpSide) resent(f *srtpFindings, side conformance.Side, d conformance.Datagram, k indexKey, clear []byte, what string) {
	f.reuse[side].checked++
	f.duplicate[side].checked++
	first, ok := st.seen[k]
	switch {
	case !ok:
		// Older than the window and never seen: a late packet, which the
		// receiver drops as too old; the sender broke no rule.
	case bytes.Equal(first.raw, d.Payload):
		f.duplicate[side].warn(d.N, "%s index %d: the same packet as frame %d sent again; the receiver drops it as a replay (RFC 3711 §3.3.2)", what, k.index, first.frame)
	default:
		how := "different content"
		if !k.rtcp {
			how = describeRTPDifference(first.clear, clear)
		}
		f.reuse[side].violate(d.N, "%s index %d protected again with %s (first in frame %d): one key and index for two packets (RFC 3711 §9.1; for AEAD a repeated nonce, RFC 7714), and receivers drop this packet as a replay (RFC 3711 §3.3.2), so a resend under a reused index never arrives", what, k.index, how, first.frame)
	}
}

// describeRTPDifference says how two RTP packets under one index differ:
// in the payload, or only in the header (typically a retransmission whose
// header extensions, e.g. a transport-wide sequence number, were stamped
// again).
func describeRTPDifference(a, b []byte) string {
	var ha, hb rtp.Header
	na, errA := ha.Unmarshal(a)
	nb, errB := hb.Unmarshal(b)
	if errA != nil || errB != nil {
		return "different content"
	}
	if bytes.Equal(a[na:], b[nb:]) {
		return "the same payload but a different header (a resend with header extensions stamped again)"
	}
	return "a different payload"
}
