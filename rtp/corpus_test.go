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
	if len(out) != s.Truth.Counts.SRTPOK {
		t.Fatalf("decrypted %d SRTP packets, truth.json srtp_ok %d", len(out), s.Truth.Counts.SRTPOK)
	}
	return out
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
// decoding); every negotiated extension parses with its typed accessor;
// every VP8 and Opus payload parses; the browser's transport-wide sequence
// numbers are one gap-free, duplicate-free run.
func TestCorpusPackets(t *testing.T) {
	conformance.ForEachSession(t, func(t *testing.T, s *conformance.Session) {
		pkts := decryptSession(t, s)
		maps := readSDPMaps(s.Answer, s.Offer)
		vp8PT, _ := maps.ptOf("VP8")
		opusPT, _ := maps.ptOf("OPUS")
		streams := map[string]int{}
		extCount := map[string]int{}
		var twcc []int64
		var twccUnwrap rtp.SequenceUnwrapper
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
				if uri == rtp.URITransportCC && cp.fromBrowser {
					var c rtp.TransportCC
					c.Unmarshal(e.Value)
					twcc = append(twcc, twccUnwrap.Unwrap(uint16(c)))
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
		if len(streams) != len(s.Truth.RTPStreams) {
			t.Errorf("streams %v, truth.json %v", streams, s.Truth.RTPStreams)
		}
		for k, n := range s.Truth.RTPStreams {
			if streams[k] != n {
				t.Errorf("stream %s: %d packets, truth.json %d", k, streams[k], n)
			}
		}
		if extCount[rtp.URIMid] == 0 || extCount[rtp.URITransportCC] == 0 {
			t.Errorf("no sdes:mid or transport-wide-cc elements found: %v", extCount)
		}
		if vp8 == 0 || vp8Key == 0 || opus == 0 {
			t.Errorf("VP8 packets %d (keyframes %d), Opus packets %d: want some of each", vp8, vp8Key, opus)
		}
		// One transport: the browser numbers every packet it sends.
		seen := map[int64]bool{}
		lo, hi := twcc[0], twcc[0]
		for _, v := range twcc {
			if seen[v] {
				t.Errorf("transport-wide sequence %d repeated", v)
			}
			seen[v] = true
			lo, hi = min(lo, v), max(hi, v)
		}
		if hi-lo+1 != int64(len(twcc)) {
			t.Errorf("transport-wide sequence numbers %d..%d but %d packets: gaps", lo, hi, len(twcc))
		}
		t.Logf("%d RTP packets round-trip (%d padding-only); %d VP8 (%d keyframe starts), %d Opus; extensions %v; twcc %d..%d",
			len(pkts), padOnly, vp8, vp8Key, opus, extCount, lo, hi)
	})
}
