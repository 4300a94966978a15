package rtcp

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plainrtc/plainrtc/internal/tsharktest"
)

// sfuCompound builds, with the package's builders, what an SFU sends: an SR
// with a report block, its SDES CNAME, a NACK, a PLI, a FIR with a sequence
// number, a REMB and finally a BYE.
func sfuCompound(t *testing.T) []byte {
	t.Helper()
	sr := SenderReport{SSRC: 0x11111111, NTPTime: 0xeb0a42d09a1cac08, RTPTime: 90000, PacketCount: 300, OctetCount: 120000,
		Reports: []ReceptionReport{{SSRC: 0x22222222, FractionLost: 12, TotalLost: 7, ExtendedHighestSeq: 0x10040, Jitter: 33, LastSR: 0x42d09a1c, DelaySinceLastSR: 65536}}}
	sdes := NewCNAME(0x11111111, []byte("sfu-cname"))
	nack := NACK{SenderSSRC: 0x11111111, MediaSSRC: 0x22222222, Pairs: AppendNACKPairs(nil, []uint16{1000, 1002, 1017, 1040})}
	pli := PLI{SenderSSRC: 0x11111111, MediaSSRC: 0x22222222}
	fir := FIR{SenderSSRC: 0x11111111, Entries: []FIREntry{{SSRC: 0x22222222, SeqNr: 42}}}
	remb := REMB{SenderSSRC: 0x11111111, SSRCs: []uint32{0x22222222, 0x33333333}}
	remb.SetBitrate(2_500_000)
	bye := Goodbye{SSRCs: []uint32{0x11111111}, Reason: []byte("bye")}
	b, err := AppendCompound(nil, &sr, &sdes, &nack, &pli, &fir, &remb, &bye)
	if err != nil {
		t.Fatal(err)
	}
	if err := ValidateCompound(b); err != nil {
		t.Fatalf("built compound invalid: %v", err)
	}
	return b
}

// TestBuildersAgainstTshark lets Wireshark's RTCP dissector read the built
// compound and compares the fields it reports with what was built.
func TestBuildersAgainstTshark(t *testing.T) {
	tshark := tsharktest.Path(t, "RTCP builders against Wireshark's RTCP dissector")
	b := sfuCompound(t)
	path := filepath.Join(t.TempDir(), "sfu.pcap")
	writePcap(t, path, [][]byte{b})
	fields := []string{"rtcp.pt", "rtcp.senderssrc", "rtcp.mediassrc", "rtcp.timestamp.ntp.msw", "rtcp.timestamp.rtp",
		"rtcp.sender.packetcount", "rtcp.sender.octetcount", "rtcp.ssrc.identifier", "rtcp.ssrc.fraction", "rtcp.ssrc.cum_nr",
		"rtcp.ssrc.ext_high", "rtcp.ssrc.jitter", "rtcp.ssrc.lsr", "rtcp.ssrc.dlsr", "rtcp.sdes.type", "rtcp.sdes.text",
		"rtcp.rtpfb.nack_pid", "rtcp.rtpfb.nack_blp", "rtcp.psfb.fir.fci.ssrc", "rtcp.psfb.fir.fci.csn",
		"rtcp.psfb.remb.fci.br_exp", "rtcp.psfb.remb.fci.br_mantissa", "rtcp.psfb.remb.fci.ssrc", "rtcp.sc", "rtcp.length_check"}
	args := []string{"-r", path, "-d", "udp.port==5000,rtcp", "-T", "fields", "-E", "separator=;"}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	out, err := exec.Command(tshark, args...).Output()
	if err != nil {
		t.Fatalf("tshark: %v\n%s", err, out)
	}
	vals := strings.Split(strings.TrimRight(string(out), "\n"), ";")
	if len(vals) != len(fields) {
		t.Fatalf("tshark gave %d fields, want %d: %q", len(vals), len(fields), out)
	}
	got := map[string]string{}
	for i, f := range fields {
		got[f] = vals[i]
	}
	want := map[string]string{
		"rtcp.pt":                        "200,202,205,206,206,206,203",
		"rtcp.senderssrc":                "0x11111111,0x11111111,0x11111111,0x11111111,0x11111111",
		"rtcp.mediassrc":                 "0x22222222,0x22222222,0x00000000,0x00000000",
		"rtcp.timestamp.ntp.msw":         "3943318224",
		"rtcp.timestamp.rtp":             "90000",
		"rtcp.sender.packetcount":        "300",
		"rtcp.sender.octetcount":         "120000",
		"rtcp.ssrc.identifier":           "0x22222222,0x11111111,0x11111111", // report block, SDES chunk, BYE
		"rtcp.ssrc.fraction":             "12",
		"rtcp.ssrc.cum_nr":               "7",
		"rtcp.ssrc.ext_high":             "65600",
		"rtcp.ssrc.jitter":               "33",
		"rtcp.ssrc.lsr":                  "1120967196", // 0x42d09a1c
		"rtcp.ssrc.dlsr":                 "65536",
		"rtcp.sdes.type":                 "1,0",
		"rtcp.sdes.text":                 "sfu-cname,bye",       // tshark files the BYE reason here too
		"rtcp.rtpfb.nack_pid":            "1000,1002,1017,1040", // tshark adds each lost seq the BLP names
		"rtcp.rtpfb.nack_blp":            "0x0002,0x0000,0x0000",
		"rtcp.psfb.fir.fci.ssrc":         "0x22222222",
		"rtcp.psfb.fir.fci.csn":          "42",
		"rtcp.psfb.remb.fci.br_exp":      "4",      // 2.5 Mbit/s >> 3 does not fit 18 bits,
		"rtcp.psfb.remb.fci.br_mantissa": "156250", // >> 4 does
		"rtcp.psfb.remb.fci.ssrc":        "0x22222222,0x33333333",
		"rtcp.sc":                        "1,1",
		"rtcp.length_check":              "1",
	}
	for _, f := range fields {
		if got[f] != want[f] {
			t.Errorf("%s: tshark %q, built %q", f, got[f], want[f])
		}
	}
}
