package rtcp_test

import (
	"fmt"
	"time"

	"github.com/plainrtc/plainrtc/rtcp"
)

// Decoding a compound packet without allocating: iterate, then decode each
// packet into a reused Decoder.
func ExampleIterator() {
	// RR (one block) + transport-cc feedback, as a browser sends them.
	compound := []byte{
		0x81, 0xc9, 0x00, 0x07, 0x00, 0x00, 0x00, 0x01, // RR, sender SSRC 1
		0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, // block for SSRC 2
		0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x8f, 0xcd, 0x00, 0x05, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, // TWCC
		0x00, 0x0a, 0x00, 0x03, 0x00, 0x00, 0x10, 0x00, // base 10, 3 packets, ref 16×64 ms
		0xd1, 0x00, 0x04, 0x08, // 2-bit vector: R, N, R; deltas 1 ms, 2 ms
	}
	if err := rtcp.ValidateReducedSize(compound); err != nil {
		fmt.Println(err)
		return
	}
	var d rtcp.Decoder
	it := rtcp.NewIterator(compound)
	var p rtcp.Packet
	for it.Next(&p) {
		if _, err := d.Decode(&p); err != nil {
			fmt.Println(err)
			return
		}
		switch p.Kind() {
		case rtcp.KindReceiverReport:
			r := d.ReceiverReport.Reports[0]
			fmt.Printf("RR from %d: SSRC %d highest seq %d jitter %d\n", d.ReceiverReport.SSRC, r.SSRC, r.ExtendedHighestSeq, r.Jitter)
		case rtcp.KindTransportCC:
			tw := &d.TransportCC
			at := tw.Reference()
			pkts := tw.Packets()
			for pk, ok := pkts.Next(); ok; pk, ok = pkts.Next() {
				if pk.Status == rtcp.TWCCNotReceived {
					fmt.Printf("seq %d lost\n", pk.Seq)
					continue
				}
				at += time.Duration(pk.Delta) * rtcp.TWCCDeltaTick
				fmt.Printf("seq %d at %v\n", pk.Seq, at)
			}
		}
	}
	if err := it.Err(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// RR from 1: SSRC 2 highest seq 4096 jitter 5
	// seq 10 at 1.025s
	// seq 11 lost
	// seq 12 at 1.027s
}

// Building transport-cc feedback from arrivals, as libwebrtc would.
func ExampleTWCCBuilder() {
	var b rtcp.TWCCBuilder
	b.Reset(0x1234, 0x5678, 100, 0) // sender SSRC, media SSRC, base seq, feedback count
	for _, a := range []struct {
		seq uint16
		at  time.Duration
	}{{100, 1000 * time.Millisecond}, {101, 1001 * time.Millisecond}, {103, 1004 * time.Millisecond}} {
		if err := b.Add(a.seq, a.at); err != nil {
			fmt.Println(err)
		}
	}
	var fb rtcp.TransportCC
	if err := b.Build(&fb); err != nil {
		fmt.Println(err)
		return
	}
	buf := make([]byte, fb.MarshalSize())
	n, _ := fb.MarshalTo(buf)
	fmt.Printf("%d packets, chunk %04x, %d bytes\n%x\n", fb.StatusCount, fb.Chunks, n, buf[:n])
	// Reference time 15 × 64 ms = 960 ms; deltas 40 ms, 1 ms, 3 ms = 0xa0,
	// 0x04, 0x0c ticks; one two-bit vector chunk (R R N R); 25 bytes padded
	// to 28 with RTCP padding 00 00 03.
	// Output:
	// 4 packets, chunk [d440], 28 bytes
	// afcd000600001234000056780064000400000f00d440a0040c000003
}
