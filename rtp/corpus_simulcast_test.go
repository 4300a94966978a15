package rtp_test

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/rtp"
)

// In the simulcast session the browser sends three layers named by
// rtp-stream-id q, h, f (RFC 8852 §4.1, RFC 8853) and repairs them over
// RTX streams named by repaired-rtp-stream-id (RFC 8852 §4.2). The typed
// accessors must find all three rids, each SSRC must keep one rid, and
// every RTX packet unwrapped with its OSN (RFC 4588 §4) must carry exactly
// the payload of the original packet it repairs.
func TestCorpusSimulcastRIDsAndRTX(t *testing.T) {
	ran := false
	conformance.ForEachSession(t, func(t *testing.T, s *conformance.Session) {
		if s.Meta["mode"] != "simulcast" {
			t.Skipf("not a simulcast session (meta.json mode %v)", s.Meta["mode"])
		}
		ran = true
		maps := readSDPMaps(s.Answer, s.Offer)
		var ridID, rridID uint8
		for id, uri := range maps.ext {
			switch uri {
			case rtp.URIRtpStreamID:
				ridID = id
			case rtp.URIRepairedRtpStreamID:
				rridID = id
			}
		}
		if ridID == 0 || rridID == 0 {
			t.Fatalf("answer negotiates rtp-stream-id %d, repaired-rtp-stream-id %d: want both", ridID, rridID)
		}
		pkts := decryptSession(t, s)
		ssrcRID := map[uint32]string{}     // media SSRC → rid
		rtxRID := map[uint32]string{}      // RTX SSRC → repaired rid
		ridSSRC := map[string]uint32{}     // rid → media SSRC
		payloads := map[[2]uint32][]byte{} // (media SSRC, seq) → payload
		type rtxPkt struct {
			n int
			p rtp.Packet
		}
		var rtxPkts []rtxPkt
		for _, cp := range pkts {
			if !cp.fromBrowser {
				continue
			}
			var p rtp.Packet
			if err := p.Unmarshal(cp.clear); err != nil {
				t.Fatalf("frame %d: %v", cp.d.N, err)
			}
			if rid, ok := p.RtpStreamID(ridID); ok {
				if old, ok := ssrcRID[p.SSRC]; ok && old != string(rid) {
					t.Errorf("SSRC %d carries rid %q and %q", p.SSRC, old, rid)
				}
				ssrcRID[p.SSRC] = string(rid)
				ridSSRC[string(rid)] = p.SSRC
			} else if p.GetExtension(ridID) != nil {
				t.Fatalf("frame %d: rtp-stream-id %q does not parse", cp.d.N, p.GetExtension(ridID))
			}
			if rid, ok := p.RepairedRtpStreamID(rridID); ok {
				rtxRID[p.SSRC] = string(rid)
			} else if p.GetExtension(rridID) != nil {
				t.Fatalf("frame %d: repaired-rtp-stream-id %q does not parse", cp.d.N, p.GetExtension(rridID))
			}
			if maps.enc[p.PayloadType] == "RTX" {
				rtxPkts = append(rtxPkts, rtxPkt{cp.d.N, p})
			} else {
				payloads[[2]uint32{p.SSRC, uint32(p.SequenceNumber)}] = p.Payload
			}
		}
		var rids []string
		for rid := range ridSSRC {
			rids = append(rids, rid)
		}
		slices.Sort(rids)
		if !slices.Equal(rids, []string{"f", "h", "q"}) {
			t.Fatalf("rids found %v, want [f h q] (a=simulcast:send q;h;f)", rids)
		}
		if len(rtxRID) == 0 {
			t.Fatal("no repaired-rtp-stream-id found on any stream")
		}
		var matched, padding, unknown int
		for _, r := range rtxPkts {
			rid, ok := rtxRID[r.p.SSRC]
			if !ok {
				unknown++
				continue
			}
			media := ridSSRC[rid]
			apt := maps.apt[r.p.PayloadType]
			p := r.p
			err := p.UnwrapRTX(media, apt)
			if errors.Is(err, rtp.ErrRTXNoOSN) {
				padding++
				continue
			}
			if err != nil {
				t.Fatalf("frame %d: %v", r.n, err)
			}
			orig, ok := payloads[[2]uint32{media, uint32(p.SequenceNumber)}]
			if !ok {
				unknown++
				continue
			}
			if !bytes.Equal(orig, p.Payload) {
				t.Errorf("frame %d: RTX for rid %s seq %d: payload differs from the original", r.n, rid, p.SequenceNumber)
				continue
			}
			matched++
		}
		if matched == 0 {
			t.Errorf("no RTX packet matched an original (%d RTX packets, %d padding-only, %d unmatched)", len(rtxPkts), padding, unknown)
		}
		t.Logf("rids %v on SSRCs %v; RTX streams %v; %d RTX packets: %d repair an original byte for byte, %d padding-only, %d without a captured original",
			rids, ridSSRC, rtxRID, len(rtxPkts), matched, padding, unknown)
	})
	if !ran {
		t.Error("no simulcast session in the corpus")
	}
}
