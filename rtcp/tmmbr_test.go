package rtcp

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plainrtc/plainrtc/internal/tsharktest"
)

// RFC 5104 §4.2.1.1: 6-bit exponent, 17-bit mantissa, 9-bit overhead.
// 1.2 Mbit/s = 75000 << 4 (75000 fits 17 bits, 1200000 >> 3 = 150000 does
// not), overhead 40 octets: 4<<26 | 75000<<9 | 40 = 0x1249f028.
const tmmbrOne = `83 cd 00 04 | 00000001 | 00000000 | 0000abcd | 1249f028`

func TestTMMBRRFC5104(t *testing.T) {
	var p TMMBR
	roundTrip(t, &p, unhex(t, tmmbrOne))
	e := p.Entries[0]
	if p.SenderSSRC != 1 || e.SSRC != 0xabcd || e.Exp != 4 || e.Mantissa != 75000 || e.Overhead != 40 || e.Bitrate() != 1200000 {
		t.Fatalf("%+v", p)
	}
	var built TMMBR
	built.SenderSSRC = 1
	built.Entries = []TMMBREntry{{SSRC: 0xabcd, Overhead: 40}}
	built.Entries[0].SetBitrate(1200000)
	checkMarshal(t, &built, unhex(t, tmmbrOne))

	var it Iterator
	it.Reset(unhex(t, tmmbrOne))
	var pk Packet
	var d Decoder
	if !it.Next(&pk) || pk.Kind() != KindTMMBR {
		t.Fatalf("kind %v", pk.Kind())
	}
	if m, err := d.Decode(&pk); err != nil || m != &d.TMMBR {
		t.Fatalf("Decode: %v", err)
	}
}

func TestTMMBNMayBeEmpty(t *testing.T) {
	var n TMMBN
	roundTrip(t, &n, unhex(t, `84 cd 00 02 | 00000001 | 00000000`))
	if len(n.Entries) != 0 {
		t.Fatalf("%+v", n)
	}
	roundTrip(t, &n, unhex(t, `84 cd 00 06 | 00000001 | 00000000 | 0000abcd | 1249f028 | 0000abce | 04000000`))
	if len(n.Entries) != 2 || n.Entries[1].Bitrate() != 0 || n.Entries[1].Exp != 1 {
		t.Fatalf("%+v", n)
	}
	var p Packet
	it := NewIterator(unhex(t, `84 cd 00 02 | 00000001 | 00000000`))
	if !it.Next(&p) || p.Kind() != KindTMMBN {
		t.Fatalf("kind %v", p.Kind())
	}
}

func TestTMMBRErrors(t *testing.T) {
	var p TMMBR
	for _, tc := range []struct{ hex, want string }{
		{`83 cd 00 02 | 00000001 | 00000000`, "at least one"},
		{`83 cd 00 03 | 00000001 | 00000000 | 0000abcd`, "multiple of 8"},
		{`84 cd 00 02 | 00000001 | 00000000`, "FMT 4, want 3"},
	} {
		if err := p.Unmarshal(unhex(t, tc.hex)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.hex, err, tc.want)
		}
	}
	for _, e := range []TMMBREntry{{Exp: 64}, {Mantissa: 0x20000}, {Overhead: 0x200}} {
		p := TMMBR{Entries: []TMMBREntry{e}}
		if _, err := p.Marshal(); err == nil || !strings.Contains(err.Error(), "RFC 5104") {
			t.Errorf("%+v: err = %v", e, err)
		}
	}
	if _, err := (&TMMBR{}).Marshal(); err == nil {
		t.Error("TMMBR without entries marshalled")
	}
}

// SetBitrate never overflows its fields, up to the largest uint64, and
// loses at most the bits below the exponent.
func TestTMMBRSetBitrateRange(t *testing.T) {
	for _, bps := range []uint64{0, 1, 0x1ffff, 0x20000, 1_000_000_000, 1<<63 + 12345, ^uint64(0)} {
		var e TMMBREntry
		e.SetBitrate(bps)
		if e.Exp > 63 || e.Mantissa > 0x1ffff {
			t.Fatalf("%d: exp %d mantissa %d", bps, e.Exp, e.Mantissa)
		}
		if got := e.Bitrate(); got > bps || bps-got >= 1<<e.Exp {
			t.Fatalf("%d encodes as %d (exp %d)", bps, got, e.Exp)
		}
	}
}

// Wireshark's RTCP dissector, as an independent reader, sees the fields a
// built TMMBR and TMMBN carry.
func TestTMMBRAgainstTshark(t *testing.T) {
	tshark := tsharktest.Path(t, "TMMBR/TMMBN against Wireshark's RTCP dissector")
	r := TMMBR{SenderSSRC: 1, Entries: []TMMBREntry{{SSRC: 0xabcd, Overhead: 40}}}
	r.Entries[0].SetBitrate(1_200_000)
	// Overhead stays below 256: tshark shows only the low 8 of its 9 bits.
	n := TMMBN{SenderSSRC: 2, Entries: []TMMBREntry{{SSRC: 0xabce, Overhead: 200}}}
	n.Entries[0].SetBitrate(64_000)
	var pkts [][]byte
	for _, m := range []Marshaler{&r, &n} {
		b, err := AppendCompound(nil, m)
		if err != nil {
			t.Fatal(err)
		}
		pkts = append(pkts, b)
	}
	path := filepath.Join(t.TempDir(), "tmmbr.pcap")
	writePcap(t, path, pkts)
	fields := []string{"rtcp.rtpfb.fmt", "rtcp.rtpfb.tmmbr.fci.ssrc", "rtcp.rtpfb.tmmbr.fci.exp", "rtcp.rtpfb.tmmbr.fci.mantissa",
		"rtcp.rtpfb.tmmbr.fci.measuredoverhead"}
	args := []string{"-r", path, "-d", "udp.port==5000,rtcp", "-T", "fields", "-E", "separator=;"}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	out, err := exec.Command(tshark, args...).Output()
	if err != nil {
		t.Fatalf("tshark: %v\n%s", err, out)
	}
	want := "3;0x0000abcd;4;75000;40\n4;0x0000abce;0;64000;200\n"
	if string(out) != want {
		t.Fatalf("tshark:\n%s\nwant:\n%s", out, want)
	}
}
