package conformance

import (
	"encoding/binary"
	"fmt"
	"io"
	"net/netip"
	"time"
)

// Datagram is one UDP datagram read from a capture.
type Datagram struct {
	N        int       // 1-based frame number in the capture, as Wireshark numbers it
	Time     time.Time // capture timestamp (UTC)
	Src, Dst netip.AddrPort
	Payload  []byte // UDP payload; references the capture's bytes
}

// SkippedFrame is a captured frame that did not yield a UDP datagram.
type SkippedFrame struct {
	N      int    // frame number, as Wireshark numbers it
	Reason string // e.g. "ethertype 0x0806 is not IP", "IP protocol 6 is not UDP"
}

// CaptureStats counts what a capture held besides its UDP datagrams.
type CaptureStats struct {
	Format  string         // "pcap", "pcap-ns" or "pcapng"
	Frames  int            // packet records/blocks read (every frame Wireshark numbers)
	UDP     int            // frames that yielded a UDP datagram
	Skipped []SkippedFrame // every other frame, in order, with the reason
}

// ReadCapture reads a whole pcap or pcapng capture from r and returns its UDP
// datagrams in capture order. Frames that are not UDP over IPv4/IPv6 are
// skipped. On a truncated or malformed file it returns the datagrams read so
// far and an error naming the block or record and its byte offset.
func ReadCapture(r io.Reader) ([]Datagram, error) {
	ds, _, err := ReadCaptureStats(r)
	return ds, err
}

// ReadCaptureStats is ReadCapture that also reports the frames it skipped.
func ReadCaptureStats(r io.Reader) ([]Datagram, CaptureStats, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, CaptureStats{}, fmt.Errorf("conformance: reading capture: %w", err)
	}
	return ParseCapture(b)
}

// ParseCapture parses a pcap or pcapng capture held in b. The datagrams'
// payloads reference b.
func ParseCapture(b []byte) ([]Datagram, CaptureStats, error) {
	var c captureParser
	err := c.parse(b)
	c.stats.UDP = len(c.out)
	return c.out, c.stats, err
}

// captureParser accumulates the datagrams of one file.
type captureParser struct {
	out   []Datagram
	stats CaptureStats
}

func (c *captureParser) parse(b []byte) error {
	if len(b) < 4 {
		return fmt.Errorf("conformance: capture of %d bytes at offset 0 has no magic number", len(b))
	}
	if binary.LittleEndian.Uint32(b) == pcapngSHBType {
		c.stats.Format = "pcapng"
		return c.parsePcapng(b)
	}
	if _, _, ok := pcapMagic(b); ok {
		return c.parsePcap(b)
	}
	return fmt.Errorf("conformance: magic %#08x at offset 0 is neither pcap (0xa1b2c3d4, 0xa1b23c4d) nor pcapng (0x0a0d0d0a)", binary.BigEndian.Uint32(b))
}

// frame decodes one captured frame of the given link type and records a
// datagram or the reason it was skipped.
func (c *captureParser) frame(linkType uint32, t time.Time, data []byte) {
	c.stats.Frames++
	n := c.stats.Frames
	d, reason := decodeLinkLayer(linkType, data)
	if reason != "" {
		c.stats.Skipped = append(c.stats.Skipped, SkippedFrame{N: n, Reason: reason})
		return
	}
	c.out = append(c.out, Datagram{N: n, Time: t.UTC(), Src: d.src, Dst: d.dst, Payload: d.payload})
}
