package rtp_test

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/internal/demux"
	"github.com/plainrtc/plainrtc/rtp"
	"github.com/plainrtc/plainrtc/srtp"
)

// clearPacket is one decrypted RTP packet of a corpus session.
type clearPacket struct {
	d           conformance.Datagram
	clear       []byte
	fromBrowser bool
}

// decryptSession decrypts every SRTP packet of s with the srtp package and
// the keys the conformance loader derives; any failure fails t. The
// answerer (pion) reuses sequence numbers when it echoes, which the replay
// window refuses; those packets are decrypted with a fresh context at the
// stream's rollover counter, as srtp's own corpus test does.
func decryptSession(t *testing.T, s *conformance.Session) []clearPacket {
	t.Helper()
	profile := srtp.Profile(s.SRTPProfile)
	ctxs := map[string]*srtp.Context{}
	var out []clearPacket
	for _, d := range s.Datagrams {
		if demux.Classify(d.Payload) != demux.RTP {
			continue
		}
		key, salt := s.SRTPKeys(d)
		c := ctxs[string(key)]
		if c == nil {
			var err error
			if c, err = srtp.NewContext(profile, key, salt); err != nil {
				t.Fatal(err)
			}
			ctxs[string(key)] = c
		}
		pkt := bytes.Clone(d.Payload)
		clear, err := c.DecryptRTP(pkt)
		if errors.Is(err, srtp.ErrReplayed) {
			ssrc := binary.BigEndian.Uint32(d.Payload[8:12])
			roc, _ := c.ROC(ssrc)
			fresh, _ := srtp.NewContext(profile, key, salt)
			fresh.SetROC(ssrc, roc)
			copy(pkt, d.Payload)
			clear, err = fresh.DecryptRTP(pkt)
		}
		if err != nil {
			t.Fatalf("frame %d: SRTP: %v", d.N, err)
		}
		out = append(out, clearPacket{d: d, clear: clear, fromBrowser: s.FromBrowser(d)})
	}
	if s.HasTruth && len(out) != s.Truth.Counts.SRTPOK {
		t.Fatalf("decrypted %d SRTP packets, truth.json srtp_ok %d", len(out), s.Truth.Counts.SRTPOK)
	}
	return out
}

// decryptOrSkip is decryptSession that skips t when the session has no
// SRTP at all (a data-channel-only session).
func decryptOrSkip(t *testing.T, s *conformance.Session) []clearPacket {
	t.Helper()
	pkts := decryptSession(t, s)
	if len(pkts) == 0 {
		t.Skipf("no SRTP in the session (sections %+v): no RTP to check", s.Roles.Sections)
	}
	return pkts
}

// sdpMaps reads a=extmap (id → URI) and a=rtpmap (PT → encoding name,
// upper case) and a=fmtp apt= (RTX PT → media PT) from the answer, with
// the offer filling PTs the answer does not map. IDs are shared by the
// BUNDLE group (RFC 8285 §6, RFC 9143 §7.2.2), so one map serves.
type sdpMaps struct {
	ext map[uint8]string
	enc map[uint8]string
	apt map[uint8]uint8
}

// readSessionMaps reads the maps of every exchange of s, the latest
// first and in each the answer before the offer: a renegotiation may give
// an id or payload type the earlier answers left unused a new meaning
// (plainrtc's SFU reuses the extension id the browser offered for
// abs-send-time, which its first answer declined, for video-orientation).
func readSessionMaps(s *conformance.Session) sdpMaps {
	var sdps [][]byte
	for i := len(s.Exchanges) - 1; i >= 0; i-- {
		sdps = append(sdps, s.Exchanges[i].Answer, s.Exchanges[i].Offer)
	}
	return readSDPMaps(append(sdps, s.Answer, s.Offer)...)
}

func readSDPMaps(sdps ...[]byte) sdpMaps {
	m := sdpMaps{ext: map[uint8]string{}, enc: map[uint8]string{}, apt: map[uint8]uint8{}}
	for _, b := range sdps {
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			key, val, ok := strings.Cut(line, " ")
			if !ok {
				continue
			}
			switch {
			case strings.HasPrefix(key, "a=extmap:"):
				idStr, _, _ := strings.Cut(strings.TrimPrefix(key, "a=extmap:"), "/")
				id, err := strconv.Atoi(idStr)
				uri, _, _ := strings.Cut(val, " ")
				if _, seen := m.ext[uint8(id)]; err == nil && !seen {
					m.ext[uint8(id)] = uri
				}
			case strings.HasPrefix(key, "a=rtpmap:"):
				pt, err := strconv.Atoi(strings.TrimPrefix(key, "a=rtpmap:"))
				name, _, _ := strings.Cut(val, "/")
				if _, seen := m.enc[uint8(pt)]; err == nil && !seen {
					m.enc[uint8(pt)] = strings.ToUpper(name)
				}
			case strings.HasPrefix(key, "a=fmtp:"):
				pt, err := strconv.Atoi(strings.TrimPrefix(key, "a=fmtp:"))
				for _, p := range strings.Split(val, ";") {
					if a, ok := strings.CutPrefix(strings.TrimSpace(p), "apt="); ok {
						if apt, err2 := strconv.Atoi(a); err == nil && err2 == nil {
							m.apt[uint8(pt)] = uint8(apt)
						}
					}
				}
			}
		}
	}
	return m
}

func (m sdpMaps) ptOf(enc string) (uint8, bool) {
	best, found := uint8(0), false
	for pt, e := range m.enc {
		if e == enc && (!found || pt < best) {
			best, found = pt, true
		}
	}
	return best, found
}

// checkExtensionValue parses an element with the typed accessor its URI
// names; URIs without an accessor return "" and nil.
func checkExtensionValue(uri string, v []byte) (string, error) {
	switch uri {
	case rtp.URIAudioLevel:
		var a rtp.AudioLevel
		return uri, a.Unmarshal(v)
	case rtp.URIMid:
		_, err := rtp.ParseMid(v)
		return uri, err
	case rtp.URIRtpStreamID, rtp.URIRepairedRtpStreamID:
		_, err := rtp.ParseRtpStreamID(v)
		return uri, err
	case rtp.URIAbsSendTime:
		var a rtp.AbsSendTime
		return uri, a.Unmarshal(v)
	case rtp.URITransportCC:
		var c rtp.TransportCC
		return uri, c.Unmarshal(v)
	case rtp.URIPlayoutDelay:
		var p rtp.PlayoutDelay
		return uri, p.Unmarshal(v)
	case rtp.URIVideoOrientation:
		var o rtp.VideoOrientation
		return uri, o.Unmarshal(v)
	}
	return "", nil
}

// Every SRTP packet of every session decrypts, parses and marshals back to
// the same bytes; per-stream packet counts equal truth.json's (pion's
// decoding) when there is one; every negotiated extension parses with its
// typed accessor; every VP8 and Opus payload parses; each sender's
// transport-wide sequence numbers never repeat, and in an unabridged
// capture form one gap-free run (the draft numbers every packet of the
// transport). What the session lacks (video, Opus, an extension it did
// not negotiate) is logged, not demanded.
func TestCorpusPackets(t *testing.T)        { conformance.ForEachSession(t, checkCorpusPackets) }
func TestCorpusPacketsDerived(t *testing.T) { conformance.ForEachDerived(t, checkCorpusPackets) }

func checkCorpusPackets(t *testing.T, s *conformance.Session) {
	{
		pkts := decryptOrSkip(t, s)
		maps := readSessionMaps(s)
		vp8PT, _ := maps.ptOf("VP8")
		opusPT, _ := maps.ptOf("OPUS")
		streams := map[string]int{}
		extCount := map[string]int{}
		type twccRun struct {
			seqs   []int64
			unwrap rtp.SequenceUnwrapper
		}
		twcc := map[bool]*twccRun{false: {}, true: {}} // by fromBrowser
		var vp8, vp8Key, opus, padOnly int
		var p rtp.Packet
		for _, cp := range pkts {
			if err := p.Unmarshal(cp.clear); err != nil {
				t.Fatalf("frame %d: %v", cp.d.N, err)
			}
			out := make([]byte, p.MarshalSize())
			if n, err := p.MarshalTo(out); err != nil || !bytes.Equal(out[:n], cp.clear) {
				t.Fatalf("frame %d: round trip %v\n got %x\nwant %x", cp.d.N, err, out[:n], cp.clear)
			}
			streams[fmt.Sprintf("%d/pt%d", p.SSRC, p.PayloadType)]++
			it := p.Extensions()
			for e, ok := it.Next(); ok; e, ok = it.Next() {
				uri, err := checkExtensionValue(maps.ext[e.ID], e.Value)
				if err != nil {
					t.Errorf("frame %d: extension %d (%s): %v", cp.d.N, e.ID, uri, err)
				}
				if uri != "" {
					extCount[uri]++
				}
				if uri == rtp.URITransportCC {
					var c rtp.TransportCC
					c.Unmarshal(e.Value)
					r := twcc[cp.fromBrowser]
					r.seqs = append(r.seqs, r.unwrap.Unwrap(uint16(c)))
				}
			}
			if len(p.Payload) == 0 {
				padOnly++
				continue
			}
			switch p.PayloadType {
			case vp8PT:
				vp8++
				key, err := rtp.VP8IsKeyframe(p.Payload)
				if err != nil {
					t.Errorf("frame %d: VP8: %v", cp.d.N, err)
				}
				if key {
					vp8Key++
				}
			case opusPT:
				opus++
				var toc rtp.OpusTOC
				if err := toc.Unmarshal(p.Payload); err != nil {
					t.Errorf("frame %d: Opus: %v", cp.d.N, err)
				}
			}
		}
		if s.HasTruth {
			if len(streams) != len(s.Truth.RTPStreams) {
				t.Errorf("streams %v, truth.json %v", streams, s.Truth.RTPStreams)
			}
			for k, n := range s.Truth.RTPStreams {
				if streams[k] != n {
					t.Errorf("stream %s: %d packets, truth.json %d", k, streams[k], n)
				}
			}
		}
		// A negotiated extension may go unused (RFC 8285 §5: a sender
		// MAY omit it; browsers stop sending mid once RTCP shows the
		// receiver knows the SSRC): noted, not demanded.
		for _, uri := range []string{rtp.URIMid, rtp.URITransportCC} {
			for _, u := range maps.ext {
				if u == uri && extCount[uri] == 0 {
					t.Logf("%s negotiated but no element sent", uri)
				}
			}
		}
		if vp8 > 0 && vp8Key == 0 {
			t.Logf("%d VP8 packets and no keyframe start: a receiver joining here could not decode", vp8)
		}
		if vp8+opus == 0 {
			t.Logf("no VP8 or Opus payloads (VP8 PT %d, Opus PT %d)", vp8PT, opusPT)
		}
		var ranges []string
		gapFree := 0
		for _, fromBrowser := range []bool{true, false} {
			seqs := twcc[fromBrowser].seqs
			if len(seqs) == 0 {
				continue
			}
			seen := map[int64]bool{}
			lo, hi := seqs[0], seqs[0]
			for _, v := range seqs {
				if seen[v] {
					t.Errorf("transport-wide sequence %d repeated (browser=%v)", v, fromBrowser)
				}
				seen[v] = true
				lo, hi = min(lo, v), max(hi, v)
			}
			if gaps := hi - lo + 1 - int64(len(seqs)); gaps == 0 {
				gapFree++
			} else {
				t.Logf("browser=%v: %d transport-wide sequence numbers of %d..%d missing", fromBrowser, gaps, lo, hi)
			}
			ranges = append(ranges, fmt.Sprintf("browser=%v %d..%d", fromBrowser, lo, hi))
		}
		// The side that numbers its own packets leaves no gap in a capture
		// that kept every packet; the seeds' answerer (pion) echoes packets
		// with the browser's numbers in them, so its run has the gaps of
		// what it did not echo, and a derived session drops packets.
		if len(ranges) > 0 && gapFree == 0 && !s.Partial {
			t.Errorf("no sender's transport-wide sequence numbers form a gap-free run in an unabridged capture: %v", ranges)
		}
		t.Logf("%d RTP packets round-trip (%d padding-only); %d VP8 (%d keyframe starts), %d Opus; extensions %v; twcc %v",
			len(pkts), padOnly, vp8, vp8Key, opus, extCount, ranges)
	}
}
