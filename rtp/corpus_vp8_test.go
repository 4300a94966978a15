package rtp_test

import (
	"testing"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/rtp"
)

// The VP8 descriptors the browsers send are self-consistent as RFC 7741
// §4.2 requires: every packet of a frame (same SSRC and timestamp) carries
// the same picture ID, TL0PICIDX and TID, exactly the first packet of a
// frame has S=1 with PID 0, and consecutive frames have consecutive
// picture IDs (mod 2^7 or 2^15). These are the encoder's duties: a stream
// whose payloads are copies of another stream's (the seeds' answerer
// echoes the browser's packets, restarting and reordering them) is a
// forward, not an encoding, and is left out with a log line; which side
// sent what does not matter. A session without VP8 skips.
func TestCorpusVP8DescriptorConsistency(t *testing.T) {
	conformance.ForEachSession(t, checkVP8Descriptors)
}
func TestCorpusVP8DescriptorConsistencyDerived(t *testing.T) {
	conformance.ForEachDerived(t, checkVP8Descriptors)
}

func checkVP8Descriptors(t *testing.T, s *conformance.Session) {
	{
		vp8PT, ok := readSessionMaps(s).ptOf("VP8")
		if !ok {
			t.Skip("no VP8 payload type in the SDPs")
		}
		pkts := decryptOrSkip(t, s)
		type state struct {
			ts      uint32
			d       rtp.VP8Descriptor
			started bool
			lastSeq uint16
			seen    map[uint16]bool
			resync  bool // packets were lost: wait for the next frame start
		}
		var resent, gaps int
		streams := map[uint32]*state{}
		var frames, packets int
		echo := forwardedStreams(t, pkts)
		for ssrc, from := range echo {
			t.Logf("SSRC %d forwards the payloads of SSRC %d: not an encoder's stream, descriptors not checked", ssrc, from)
		}
		for _, cp := range pkts {
			var p rtp.Packet
			if err := p.Unmarshal(cp.clear); err != nil {
				t.Fatal(err)
			}
			if p.PayloadType != vp8PT || len(p.Payload) == 0 {
				continue
			}
			if _, fwd := echo[p.SSRC]; fwd {
				continue
			}
			var d rtp.VP8Descriptor
			if _, err := d.Unmarshal(p.Payload); err != nil {
				t.Fatalf("frame %d: %v", cp.d.N, err)
			}
			if !d.HasPictureID {
				t.Fatalf("frame %d: VP8 without picture ID", cp.d.N)
			}
			packets++
			st := streams[p.SSRC]
			if st == nil {
				st = &state{seen: map[uint16]bool{}}
				streams[p.SSRC] = st
			}
			firstOfFrame := d.Start && d.PartitionID == 0
			// A retransmission (RFC 4585 NACK answered on the same SSRC)
			// repeats a packet already checked; a gap in the sequence
			// numbers (packets lost upstream of a forward) may have taken
			// a frame's first packet or whole frames with it: the check
			// starts again at the next frame start.
			if st.seen[p.SequenceNumber] || (st.started && int16(p.SequenceNumber-st.lastSeq) <= 0) {
				resent++
				continue
			}
			st.seen[p.SequenceNumber] = true
			if st.started && p.SequenceNumber != st.lastSeq+1 {
				gaps++
				st.resync = true
			}
			st.lastSeq = p.SequenceNumber
			if st.resync {
				if !firstOfFrame {
					continue
				}
				st.resync, st.started = false, false
			}
			switch {
			case !st.started:
				if !firstOfFrame {
					t.Fatalf("frame %d: SSRC %d starts mid-frame", cp.d.N, p.SSRC)
				}
			case p.Timestamp == st.ts:
				if firstOfFrame {
					t.Errorf("frame %d: S=1 PID=0 again inside the frame at ts %d", cp.d.N, p.Timestamp)
				}
				if d.PictureID != st.d.PictureID || d.TL0PICIDX != st.d.TL0PICIDX || d.TID != st.d.TID {
					t.Errorf("frame %d: picture ID %d TL0PICIDX %d TID %d inside a frame with %d/%d/%d",
						cp.d.N, d.PictureID, d.TL0PICIDX, d.TID, st.d.PictureID, st.d.TL0PICIDX, st.d.TID)
				}
			default:
				if !firstOfFrame {
					t.Errorf("frame %d: new timestamp %d without S=1 PID=0", cp.d.N, p.Timestamp)
				}
				mod := uint16(0x80)
				if d.PictureIDLong {
					mod = 0x8000
				}
				if want := (st.d.PictureID + 1) % mod; d.PictureID != want {
					t.Errorf("frame %d: SSRC %d picture ID %d after %d", cp.d.N, p.SSRC, d.PictureID, st.d.PictureID)
				}
			}
			if !st.started || p.Timestamp != st.ts {
				frames++
			}
			st.started, st.ts, st.d = true, p.Timestamp, d
		}
		if frames == 0 {
			t.Skip("VP8 negotiated but no VP8 frames sent")
		}
		t.Logf("%d VP8 streams, %d frames in %d packets: descriptors consistent (%d retransmitted packets not checked again, %d sequence gaps resynchronised at the next frame start)", len(streams), frames, packets, resent, gaps)
	}
}

// forwardedStreams finds the streams that carry other streams' payloads:
// an SSRC more than half of whose non-empty payloads were first sent,
// byte for byte, under other SSRCs (a forwarder may mix several layers).
// It maps each to the SSRC it copied most from.
func forwardedStreams(t *testing.T, pkts []clearPacket) map[uint32]uint32 {
	t.Helper()
	first := map[string]uint32{} // payload -> first SSRC that sent it
	copies := map[uint32]map[uint32]int{}
	total := map[uint32]int{}
	var p rtp.Packet
	for _, cp := range pkts {
		if err := p.Unmarshal(cp.clear); err != nil {
			t.Fatal(err)
		}
		if len(p.Payload) == 0 {
			continue
		}
		total[p.SSRC]++
		k := string(p.Payload)
		if src, ok := first[k]; !ok {
			first[k] = p.SSRC
		} else if src != p.SSRC {
			if copies[p.SSRC] == nil {
				copies[p.SSRC] = map[uint32]int{}
			}
			copies[p.SSRC][src]++
		}
	}
	out := map[uint32]uint32{}
	for ssrc, by := range copies {
		sum, most := 0, 0
		for src, n := range by {
			sum += n
			if n > most {
				most, out[ssrc] = n, src
			}
		}
		if 2*sum <= total[ssrc] {
			delete(out, ssrc)
		}
	}
	return out
}
