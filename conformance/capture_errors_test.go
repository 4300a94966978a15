package conformance

import (
	"encoding/binary"
	"net/netip"
	"os"
	"strings"
	"testing"
)

// TestTruncatedCapture cuts the corpus capture and the synthetic files at
// many points: the reader returns the datagrams of the whole blocks before
// the cut, in order, and an error naming the block and offset.
func TestTruncatedCapture(t *testing.T) {
	files := map[string][]byte{}
	b, err := os.ReadFile("testdata/exporter-openssl/dtls.pcapng")
	if err != nil {
		t.Fatal(err)
	}
	files["dtls.pcapng"] = b
	for _, f := range synthCaptures() {
		if f.name == "multi.pcapng" || f.name == "link1-be-nanotrue.pcap" {
			files[f.name] = f.data
		}
	}
	for name, b := range files {
		full, _, err := ParseCapture(b)
		if err != nil {
			t.Fatal(err)
		}
		for cut := 1; cut < len(b); cut += 7 {
			ds, _, err := ParseCapture(b[:cut])
			if err == nil {
				// A cut exactly between blocks is a valid, shorter file.
				if len(ds) > len(full) {
					t.Fatalf("%s cut at %d: %d datagrams, more than %d", name, cut, len(ds), len(full))
				}
				continue
			}
			if !strings.Contains(err.Error(), "offset") {
				t.Errorf("%s cut at %d: error %q names no offset", name, cut, err)
			}
			if len(ds) > len(full) {
				t.Fatalf("%s cut at %d: %d datagrams", name, cut, len(ds))
			}
			for i, d := range ds {
				if d.N != full[i].N || string(d.Payload) != string(full[i].Payload) {
					t.Fatalf("%s cut at %d: datagram %d differs from the full file's", name, cut, i)
				}
			}
		}
	}
	// Cut inside the last record: every datagram but the last is returned,
	// with an error naming record 2.
	src := netip.MustParseAddrPort("192.0.2.1:4000")
	dst := netip.MustParseAddrPort("192.0.2.2:5000")
	ip := ipv4Packet(src.Addr(), dst.Addr(), ipProtoUDP, udpHeader(src, dst, make([]byte, 100)))
	two := pcapFile(binary.BigEndian, true, linkTypeRaw, []testFrame{{data: ip}, {data: ip}})
	ds, _, err := ParseCapture(two[:len(two)-3])
	if err == nil || len(ds) != 1 || !strings.Contains(err.Error(), "record 2 at offset 168") {
		t.Errorf("cut 3 bytes short: %d datagrams, err %v", len(ds), err)
	}
}

func TestCaptureSkipsFragmentsAndCutFrames(t *testing.T) {
	src := netip.MustParseAddrPort("192.0.2.1:4000")
	dst := netip.MustParseAddrPort("192.0.2.2:5000")
	ip := ipv4Packet(src.Addr(), dst.Addr(), ipProtoUDP, udpHeader(src, dst, make([]byte, 100)))
	frag := append([]byte(nil), ip...)
	frag[6] = 0x20 // more fragments
	v6 := ipv6Packet(netip.MustParseAddr("2001:db8::1"), netip.MustParseAddr("2001:db8::2"), 44,
		append([]byte{ipProtoUDP, 0, 0, 8, 0, 0, 0, 1}, udpHeader(src, dst, make([]byte, 10))...), false) // fragment offset 1
	fs := []testFrame{
		{data: ip},
		{data: frag},
		{data: ip[:60]}, // cut by a snapshot length
		{data: v6},
		{data: []byte{0x45}},
	}
	file := pcapFile(binary.LittleEndian, false, linkTypeRaw, fs)
	ds, st, err := ParseCapture(file)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].N != 1 || len(ds[0].Payload) != 100 {
		t.Fatalf("datagrams %+v", ds)
	}
	want := []string{"IPv4 fragment", "snapshot length", "IPv6 fragment", "IPv4 header truncated"}
	if len(st.Skipped) != len(want) {
		t.Fatalf("skipped %+v", st.Skipped)
	}
	for i, w := range want {
		if st.Skipped[i].N != i+2 || !strings.Contains(st.Skipped[i].Reason, w) {
			t.Errorf("skipped[%d] = %+v, want frame %d %q", i, st.Skipped[i], i+2, w)
		}
	}
}

func TestCaptureBadHeaders(t *testing.T) {
	for name, b := range map[string][]byte{
		"empty":         {},
		"bad magic":     []byte("GIF89a-not-a-capture-file"),
		"short pcap":    {0xd4, 0xc3, 0xb2, 0xa1, 2, 0},
		"bad bom":       {0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 1, 2, 3, 4, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0},
		"odd length":    {0x0a, 0x0d, 0x0d, 0x0a, 29, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 29, 0, 0, 0, 0},
		"epb no iface":  pcapngEPB(pcapngSHB(nil, binary.LittleEndian), binary.LittleEndian, 0, 0, []byte{1}),
		"spb no iface":  pcapngSPB(pcapngSHB(nil, binary.BigEndian), binary.BigEndian, []byte{1}),
		"bad version":   append([]byte{0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 2, 0, 0, 0}, 0, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0),
		"bad trail len": {0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 24, 0, 0, 0},
	} {
		if _, _, err := ParseCapture(b); err == nil {
			t.Errorf("%s: accepted", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
}

func FuzzReadCapture(f *testing.F) {
	if b, err := os.ReadFile("testdata/exporter-openssl/dtls.pcapng"); err == nil {
		f.Add(b)
	}
	for _, s := range synthCaptures() {
		if s.name == "multi.pcapng" || strings.HasSuffix(s.name, "-be-nanotrue.pcap") {
			f.Add(s.data)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ds, st, _ := ParseCapture(b)
		if st.UDP != len(ds) || st.Frames != len(ds)+len(st.Skipped) {
			t.Fatalf("frames %d = %d datagrams + %d skipped?", st.Frames, len(ds), len(st.Skipped))
		}
		for i, d := range ds {
			if d.N < 1 || d.N > st.Frames || (i > 0 && d.N <= ds[i-1].N) {
				t.Fatalf("datagram %d numbered %d", i, d.N)
			}
		}
	})
}

func BenchmarkParseCapture(b *testing.B) {
	data, err := os.ReadFile("testdata/corpus/chromium-156-simulcast/session.pcapng")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ParseCapture(data); err != nil {
			b.Fatal(err)
		}
	}
}
