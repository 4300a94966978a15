package rtp

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// ErrRTXNoOSN is returned by UnwrapRTX for an RTX packet whose payload is
// empty: a padding-only packet (bandwidth probing) that repairs nothing.
var ErrRTXNoOSN = errors.New("rtp: RTX packet has no original sequence number, padding only (RFC 4588 §4)")

// UnwrapRTX turns a parsed RTX packet into the original packet in place
// (RFC 4588 §4): the sequence number becomes the OSN from the first two
// payload bytes, the payload what follows, and SSRC and payload type the
// original stream's (the caller knows them from a=ssrc-group:FID and
// apt=). Padding is dropped. It does not allocate.
func (p *Packet) UnwrapRTX(ssrc uint32, pt uint8) error {
	if len(p.Payload) == 0 {
		return ErrRTXNoOSN
	}
	if len(p.Payload) < 2 {
		return fmt.Errorf("rtp: RTX payload %d bytes, want at least 2 for the OSN (RFC 4588 §4)", len(p.Payload))
	}
	p.SequenceNumber = binary.BigEndian.Uint16(p.Payload)
	p.Payload = p.Payload[2:]
	p.SSRC = ssrc
	p.PayloadType = pt
	p.Header.Padding = false
	p.Padding = nil
	return nil
}

// RTXSize returns the length of WrapRTX's output for p.
func RTXSize(p *Packet) int { return p.Header.MarshalSize() + 2 + len(p.Payload) }

// WrapRTX writes into buf the RTX packet retransmitting p (RFC 4588 §4):
// p's header with the RTX stream's SSRC, payload type and sequence number,
// then the original sequence number (OSN) and p's payload. Padding is not
// carried. It returns the packet length.
func WrapRTX(buf []byte, p *Packet, ssrc uint32, pt uint8, seq uint16) (int, error) {
	h := p.Header
	h.SSRC, h.PayloadType, h.SequenceNumber, h.Padding = ssrc, pt, seq, false
	size := RTXSize(p)
	if len(buf) < size {
		return 0, fmt.Errorf("rtp: buffer length %d, RTX packet needs %d", len(buf), size)
	}
	n, err := h.MarshalTo(buf)
	if err != nil {
		return 0, err
	}
	binary.BigEndian.PutUint16(buf[n:], p.SequenceNumber)
	n += 2
	n += copy(buf[n:], p.Payload)
	return n, nil
}
