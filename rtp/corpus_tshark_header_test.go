package rtp_test

import (
	"encoding/hex"
	"strconv"
	"strings"
	"testing"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/rtp"
)

// Every decrypted packet's header as rtp parses it equals Wireshark's RTP
// dissector's reading of the same bytes: payload type, marker, sequence
// number, timestamp, SSRC, padding count and every RFC 8285 extension
// element (ID and data, in order).
func TestCorpusHeadersMatchTshark(t *testing.T) {
	tshark := tsharkOrSkip(t)
	conformance.ForEachSession(t, func(t *testing.T, s *conformance.Session) {
		t.Parallel() // each folder waits on its own tshark process
		pkts := decryptOrSkip(t, s)
		path := writeClearPcap(t, pkts)
		lines := runTshark(t, tshark, path, s.Server.Port(), nil,
			"frame.number", "rtp.p_type", "rtp.marker", "rtp.seq", "rtp.timestamp", "rtp.ssrc",
			"rtp.padding.count", "rtp.ext.rfc5285.id", "rtp.ext.rfc5285.data")
		if len(lines) != len(pkts) {
			t.Fatalf("tshark printed %d frames, pcap has %d", len(lines), len(pkts))
		}
		num := func(s string) uint64 {
			v, err := strconv.ParseUint(s, 0, 64)
			if err != nil {
				t.Fatalf("tshark number %q: %v", s, err)
			}
			return v
		}
		var elements, padded int
		var p rtp.Packet
		for i, f := range lines {
			if err := p.Unmarshal(pkts[i].clear); err != nil {
				t.Fatal(err)
			}
			marker := f[2] == "1" || f[2] == "True"
			if num(f[0]) != uint64(i+1) || num(f[1]) != uint64(p.PayloadType) || marker != p.Marker ||
				num(f[3]) != uint64(p.SequenceNumber) || num(f[4]) != uint64(p.Timestamp) || num(f[5]) != uint64(p.SSRC) {
				t.Fatalf("pcap frame %d: tshark %q, rtp %+v", i+1, f, p.Header)
			}
			pad := "0"
			if p.Header.Padding {
				pad = strconv.Itoa(len(p.Padding))
				padded++
			}
			if f[6] == "" {
				f[6] = "0"
			}
			if f[6] != pad {
				t.Errorf("pcap frame %d: padding count tshark %q, rtp %s", i+1, f[6], pad)
			}
			var ids, data []string
			it := p.Extensions()
			for e, ok := it.Next(); ok; e, ok = it.Next() {
				ids = append(ids, strconv.Itoa(int(e.ID)))
				data = append(data, hex.EncodeToString(e.Value))
				elements++
			}
			theirData := strings.ReplaceAll(f[8], ":", "")
			if got, want := strings.Join(ids, ","), f[7]; got != want {
				t.Errorf("pcap frame %d: extension IDs rtp %q, tshark %q", i+1, got, want)
			}
			if got := strings.Join(data, ","); got != theirData {
				t.Errorf("pcap frame %d: extension data rtp %q, tshark %q", i+1, got, theirData)
			}
		}
		if elements == 0 {
			t.Log("no extension elements to compare")
		}
		t.Logf("%d packets (%d padded), %d extension elements: rtp and tshark agree", len(pkts), padded, elements)
	})
}
