package rtp_test

import (
	"bytes"
	"testing"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/rtp"
)

// The SFU's rewrite operations on every real packet: extension IDs
// renumbered in place (and back, restoring the bytes), the block rebuilt
// in the two-byte form with other IDs, fixed header fields rewritten, and
// RTX wrapping and unwrapping, each checked by parsing the result.
func TestCorpusRewrite(t *testing.T)        { conformance.ForEachSession(t, checkCorpusRewrite) }
func TestCorpusRewriteDerived(t *testing.T) { conformance.ForEachDerived(t, checkCorpusRewrite) }

func checkCorpusRewrite(t *testing.T, s *conformance.Session) {
	{
		pkts := decryptOrSkip(t, s)
		var fwd, back, up rtp.ExtensionIDMap
		for id := 1; id <= 14; id++ {
			fwd[id], back[15-id] = uint8(15-id), uint8(id)
			up[id] = uint8(id + 100)
		}
		scratch := make([]byte, 1024)
		out := make([]byte, 2048)
		scratch2 := make([]byte, 2048)
		var rebuilt int
		for _, cp := range pkts {
			var p rtp.Packet
			if err := p.Unmarshal(cp.clear); err != nil {
				t.Fatal(err)
			}
			type el struct {
				id  uint8
				val []byte
			}
			var orig []el
			it := p.Extensions()
			for e, ok := it.Next(); ok; e, ok = it.Next() {
				orig = append(orig, el{e.ID, bytes.Clone(e.Value)})
			}

			// In place: 1..14 → 14..1 and back.
			pkt := bytes.Clone(cp.clear)
			if err := rtp.RemapExtensionIDsInPlace(pkt, &p.Header, &fwd); err != nil {
				t.Fatalf("frame %d: %v", cp.d.N, err)
			}
			var q rtp.Packet
			if err := q.Unmarshal(pkt); err != nil {
				t.Fatalf("frame %d: remapped packet: %v", cp.d.N, err)
			}
			for _, e := range orig {
				if v := q.GetExtension(fwd[e.id]); !bytes.Equal(v, e.val) {
					t.Fatalf("frame %d: ID %d→%d value %x, want %x", cp.d.N, e.id, fwd[e.id], v, e.val)
				}
			}
			if err := rtp.RemapExtensionIDsInPlace(pkt, &q.Header, &back); err != nil || !bytes.Equal(pkt, cp.clear) {
				t.Fatalf("frame %d: remapping back did not restore the packet (%v)", cp.d.N, err)
			}

			// Rebuilt: IDs +100 force the two-byte form.
			if len(orig) > 0 {
				var l rtp.ExtensionList
				if err := l.FromHeader(&p.Header); err != nil {
					t.Fatal(err)
				}
				l.Remap(&up)
				r := p
				if err := l.SetOn(&r.Header, scratch); err != nil {
					t.Fatal(err)
				}
				n, err := r.MarshalTo(out)
				if err != nil {
					t.Fatal(err)
				}
				var u rtp.Packet
				if err := u.Unmarshal(out[:n]); err != nil {
					t.Fatalf("frame %d: rebuilt packet: %v", cp.d.N, err)
				}
				if u.ExtensionProfile != rtp.ExtensionProfileTwoByte || !bytes.Equal(u.Payload, p.Payload) {
					t.Fatalf("frame %d: rebuilt profile %#x, payload equal %v", cp.d.N, u.ExtensionProfile, bytes.Equal(u.Payload, p.Payload))
				}
				for _, e := range orig {
					if v := u.GetExtension(e.id + 100); !bytes.Equal(v, e.val) {
						t.Fatalf("frame %d: rebuilt ID %d value %x, want %x", cp.d.N, e.id+100, v, e.val)
					}
				}
				// RemapExtensionIDs falls back to the same rebuild.
				pkt := bytes.Clone(cp.clear)
				var ph rtp.Header
				if _, err := ph.Unmarshal(pkt); err != nil {
					t.Fatal(err)
				}
				got, err := rtp.RemapExtensionIDs(scratch2, pkt, &ph, &up)
				if err != nil || !bytes.Equal(got, out[:n]) {
					t.Fatalf("frame %d: RemapExtensionIDs %v\n got %x\nwant %x", cp.d.N, err, got, out[:n])
				}
				rebuilt++
			}

			// Fixed header rewrite.
			pkt = bytes.Clone(cp.clear)
			if err := rtp.RewriteFixedHeader(pkt, 42, p.SequenceNumber+1000, p.Timestamp+90000, 0x5eed); err != nil {
				t.Fatal(err)
			}
			if err := q.Unmarshal(pkt); err != nil {
				t.Fatal(err)
			}
			if q.PayloadType != 42 || q.SequenceNumber != p.SequenceNumber+1000 || q.Timestamp != p.Timestamp+90000 ||
				q.SSRC != 0x5eed || q.Marker != p.Marker || !bytes.Equal(q.Payload, p.Payload) || !bytes.Equal(q.ExtensionPayload, p.ExtensionPayload) {
				t.Fatalf("frame %d: fixed header rewrite: %+v", cp.d.N, q.Header)
			}

			// RTX round trip.
			if len(p.Payload) > 0 {
				n, err := rtp.WrapRTX(out, &p, 0xabc, 97, 7)
				if err != nil {
					t.Fatal(err)
				}
				var x rtp.Packet
				if err := x.Unmarshal(out[:n]); err != nil {
					t.Fatal(err)
				}
				if err := x.UnwrapRTX(p.SSRC, p.PayloadType); err != nil {
					t.Fatal(err)
				}
				if x.SequenceNumber != p.SequenceNumber || !bytes.Equal(x.Payload, p.Payload) || x.Timestamp != p.Timestamp {
					t.Fatalf("frame %d: RTX round trip changed the packet", cp.d.N)
				}
			}
		}
		if rebuilt == 0 {
			t.Log("no packet with header extensions: the two-byte rebuild was not exercised")
		}
		t.Logf("%d packets rewritten in place and back, %d extension blocks rebuilt in the two-byte form", len(pkts), rebuilt)
	}
}
