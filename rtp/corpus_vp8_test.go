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
// picture IDs (mod 2^7 or 2^15).
func TestCorpusVP8DescriptorConsistency(t *testing.T) {
	conformance.ForEachSession(t, func(t *testing.T, s *conformance.Session) {
		pkts := decryptSession(t, s)
		vp8PT, _ := readSDPMaps(s.Answer, s.Offer).ptOf("VP8")
		type state struct {
			ts      uint32
			d       rtp.VP8Descriptor
			started bool
		}
		streams := map[uint32]*state{}
		var frames, packets int
		for _, cp := range pkts {
			if !cp.fromBrowser {
				continue
			}
			var p rtp.Packet
			if err := p.Unmarshal(cp.clear); err != nil {
				t.Fatal(err)
			}
			if p.PayloadType != vp8PT || len(p.Payload) == 0 {
				continue
			}
			var d rtp.VP8Descriptor
			if _, err := d.Unmarshal(p.Payload); err != nil {
				t.Fatalf("frame %d: %v", cp.d.N, err)
			}
			if !d.HasPictureID {
				t.Fatalf("frame %d: browser VP8 without picture ID", cp.d.N)
			}
			packets++
			st := streams[p.SSRC]
			if st == nil {
				st = &state{}
				streams[p.SSRC] = st
			}
			firstOfFrame := d.Start && d.PartitionID == 0
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
			t.Fatal("no browser VP8 frames")
		}
		t.Logf("%d VP8 streams, %d frames in %d packets: descriptors consistent", len(streams), frames, packets)
	})
}
