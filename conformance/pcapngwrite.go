package conformance

import (
	"github.com/plainrtc/plainrtc/internal/pcapng"

	"encoding/binary"
	"fmt"
	"io"
	"sync"
)

// PcapngWriter writes a pcapng file (draft-ietf-opsawg-pcapng) of UDP
// datagrams: a little-endian Section Header Block (§4.1), one Interface
// Description Block (§4.2) of link type LINKTYPE_RAW (101) with if_tsresol 9
// (nanoseconds), then one Enhanced Packet Block (§4.3) per datagram holding
// an IPv4 or IPv6 header, a UDP header (checksum 0) and the payload.
// ParseCapture (and tshark) read it back. It is safe for concurrent use, so
// a socket's reader and writer can record into one file.
type PcapngWriter struct {
	mu     sync.Mutex
	w      io.Writer
	err    error
	frames int
	buf    []byte
}

// NewPcapngWriter writes the section and interface headers to w.
func NewPcapngWriter(w io.Writer) (*PcapngWriter, error) {
	p := &PcapngWriter{w: w}
	b := appendPcapngHeader(nil)
	if _, err := w.Write(b); err != nil {
		return nil, fmt.Errorf("conformance: writing pcapng header: %w", err)
	}
	return p, nil
}

// WriteDatagram appends one Enhanced Packet Block for d (d.N is ignored:
// frames are numbered by their order in the file). After an error every
// later call returns it.
func (p *PcapngWriter) WriteDatagram(d Datagram) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil {
		return p.err
	}
	d.N = p.frames + 1
	b, err := appendPcapngEPB(p.buf[:0], d)
	if err != nil {
		return err // one bad datagram does not end the file
	}
	p.buf = b
	if _, err := p.w.Write(b); err != nil {
		p.err = fmt.Errorf("conformance: writing pcapng: %w", err)
		return p.err
	}
	p.frames++
	return nil
}

// Frames is how many datagrams have been written.
func (p *PcapngWriter) Frames() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.frames
}

// AppendPcapng appends a whole pcapng file holding datagrams to dst, as
// PcapngWriter writes it.
func AppendPcapng(dst []byte, datagrams []Datagram) ([]byte, error) {
	dst = appendPcapngHeader(dst)
	for _, d := range datagrams {
		var err error
		if dst, err = appendPcapngEPB(dst, d); err != nil {
			return nil, err
		}
	}
	return dst, nil
}

// appendPcapngHeader appends the SHB (version 1.0, section length -1:
// unknown) and the IDB (LINKTYPE_RAW, snaplen 262144, if_tsresol 9).
func appendPcapngHeader(dst []byte) []byte {
	le := binary.LittleEndian
	dst = le.AppendUint32(dst, pcapngSHBType)
	dst = le.AppendUint32(dst, 28)
	dst = le.AppendUint32(dst, pcapngByteOrderMagic)
	dst = le.AppendUint16(dst, 1)
	dst = le.AppendUint16(dst, 0)
	dst = le.AppendUint64(dst, ^uint64(0))
	dst = le.AppendUint32(dst, 28)

	dst = le.AppendUint32(dst, pcapngIDBType)
	dst = le.AppendUint32(dst, 32)
	dst = le.AppendUint16(dst, 101) // LINKTYPE_RAW
	dst = le.AppendUint16(dst, 0)
	dst = le.AppendUint32(dst, 262144)
	dst = le.AppendUint16(dst, optTSResol)
	dst = le.AppendUint16(dst, 1)
	dst = append(dst, 9, 0, 0, 0) // 10^-9 s, padded to 32 bits
	dst = le.AppendUint16(dst, optEndOfOpt)
	dst = le.AppendUint16(dst, 0)
	dst = le.AppendUint32(dst, 32)
	return dst
}

// appendPcapngEPB appends one Enhanced Packet Block on interface 0 with a
// nanosecond timestamp.
func appendPcapngEPB(dst []byte, d Datagram) ([]byte, error) {
	frame, err := pcapng.AppendIPUDP(nil, d.Src, d.Dst, d.Payload)
	if err != nil {
		return dst, err
	}
	le := binary.LittleEndian
	padded := (len(frame) + 3) &^ 3
	total := uint32(32 + padded)
	ts := uint64(d.Time.UnixNano())
	if d.Time.IsZero() {
		ts = 0
	}
	dst = le.AppendUint32(dst, pcapngEPBType)
	dst = le.AppendUint32(dst, total)
	dst = le.AppendUint32(dst, 0) // interface 0
	dst = le.AppendUint32(dst, uint32(ts>>32))
	dst = le.AppendUint32(dst, uint32(ts))
	dst = le.AppendUint32(dst, uint32(len(frame)))
	dst = le.AppendUint32(dst, uint32(len(frame)))
	dst = append(dst, frame...)
	dst = append(dst, make([]byte, padded-len(frame))...)
	dst = le.AppendUint32(dst, total)
	return dst, nil
}
