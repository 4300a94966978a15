package rtp_test

import (
	"fmt"

	"github.com/plainrtc/plainrtc/rtp"
)

// Parse a packet and walk its RFC 8285 extension elements.
func ExampleHeader_Extensions() {
	pkt := []byte{
		0x90, 0x60, 0x00, 0x01, 0x00, 0x00, 0x00, 0x64, 0x00, 0x00, 0x04, 0xd2,
		0xbe, 0xde, 0x00, 0x01, 0x31, 0x00, 0x07, 0x00, // ID 3 (twcc) = 7
		0x10, 0x50, 0x01, 0x02, // VP8
	}
	var p rtp.Packet
	if err := p.Unmarshal(pkt); err != nil {
		panic(err)
	}
	it := p.Extensions()
	for e, ok := it.Next(); ok; e, ok = it.Next() {
		fmt.Printf("ID %d value %x at offset %d\n", e.ID, e.Value, e.ValueOffset)
	}
	seq, _ := p.TransportCC(3)
	key, _ := rtp.VP8IsKeyframe(p.Payload)
	fmt.Println("ssrc", p.SSRC, "twcc", seq, "keyframe", key)
	// Output:
	// ID 3 value 0007 at offset 17
	// ssrc 1234 twcc 7 keyframe true
}

// Rewrite a packet for a subscriber: new SSRC, PT, sequence number and
// timestamp, and the extension IDs its SDP negotiated, in place.
func ExampleRemapExtensionIDsInPlace() {
	pkt := []byte{
		0x90, 0x60, 0x00, 0x01, 0x00, 0x00, 0x00, 0x64, 0x00, 0x00, 0x04, 0xd2,
		0xbe, 0xde, 0x00, 0x01, 0x31, 0x00, 0x07, 0x00,
		0x10, 0x50, 0x01, 0x02,
	}
	var h rtp.Header
	if _, err := h.Unmarshal(pkt); err != nil {
		panic(err)
	}
	var ids rtp.ExtensionIDMap
	ids[3] = 5 // publisher's twcc ID 3 is the subscriber's 5
	if err := rtp.RemapExtensionIDsInPlace(pkt, &h, &ids); err != nil {
		panic(err)
	}
	rtp.RewriteFixedHeader(pkt, 96, 5000, 90000, 0xcafe)
	h.Unmarshal(pkt)
	seq, _ := h.TransportCC(5)
	fmt.Println(h.PayloadType, h.SequenceNumber, h.Timestamp, h.SSRC, seq)
	// Output: 96 5000 90000 51966 7
}
