package rtp_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/rtp"
)

// In the simulcast session the browser sends three layers named by
// rtp-stream-id q, h, f (RFC 8852 §4.1, RFC 8853) and repairs them over
// RTX streams named by repaired-rtp-stream-id (RFC 8852 §4.2). The typed
// accessors must find all three rids, each SSRC must keep one rid, and
// every RTX packet unwrapped with its OSN (RFC 4588 §4) must carry exactly
// the payload of the original packet it repairs. The sender is the side
// whose SDP says a=simulcast:send (RFC 8853 §5.1), whichever that is; a
// session without one skips.
func TestCorpusSimulcastRIDsAndRTX(t *testing.T) {
	ran := false
	conformance.ForEachSession(t, func(t *testing.T, s *conformance.Session) {
		if checkSimulcast(t, s) {
			ran = true
		}
	})
	if !ran {
		t.Error("no simulcast session in the corpus")
	}
}

func TestCorpusSimulcastRIDsAndRTXDerived(t *testing.T) {
	conformance.ForEachDerived(t, func(t *testing.T, s *conformance.Session) { checkSimulcast(t, s) })
}

// simulcastSender returns the side whose SDP has a=simulcast:send and the
// rids it lists.
func simulcastSender(s *conformance.Session) (conformance.Side, []string, bool) {
	for i, b := range [][]byte{s.Offer, s.Answer} {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(l), "a=simulcast:send "); ok {
				v, _, _ = strings.Cut(v, " ")
				rids := strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == ',' })
				for j := range rids {
					rids[j] = strings.TrimPrefix(rids[j], "~")
				}
				return conformance.Side(i), rids, true
			}
		}
	}
	return 0, nil, false
}

func checkSimulcast(t *testing.T, s *conformance.Session) bool {
	sender, wantRIDs, ok := simulcastSender(s)
	if !ok {
		t.Skip("no a=simulcast:send in either SDP: not a simulcast session")
	}
	slices.Sort(wantRIDs)
	{
		maps := readSessionMaps(s)
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
		pkts := decryptOrSkip(t, s)
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
			if side, _ := s.Roles.Sender(cp.d); side != sender {
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
		if !slices.Equal(rids, wantRIDs) {
			t.Fatalf("rids found %v, want %v (the %s's a=simulcast:send)", rids, wantRIDs, sender)
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
	}
	return true
}
