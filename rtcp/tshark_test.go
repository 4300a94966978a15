package rtcp

import (
	"encoding/binary"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/internal/tsharktest"
)

// writePcap writes each payload as one UDP datagram 127.0.0.1:5000 →
// 127.0.0.1:5001 in a classic pcap with LINKTYPE_RAW (101).
func writePcap(t *testing.T, path string, payloads [][]byte) {
	t.Helper()
	var out []byte
	out = binary.LittleEndian.AppendUint32(out, 0xa1b2c3d4)
	out = binary.LittleEndian.AppendUint16(out, 2)
	out = binary.LittleEndian.AppendUint16(out, 4)
	out = binary.LittleEndian.AppendUint32(out, 0)
	out = binary.LittleEndian.AppendUint32(out, 0)
	out = binary.LittleEndian.AppendUint32(out, 65535)
	out = binary.LittleEndian.AppendUint32(out, 101)
	for i, p := range payloads {
		ipLen := 20 + 8 + len(p)
		out = binary.LittleEndian.AppendUint32(out, uint32(i))
		out = binary.LittleEndian.AppendUint32(out, 0)
		out = binary.LittleEndian.AppendUint32(out, uint32(ipLen))
		out = binary.LittleEndian.AppendUint32(out, uint32(ipLen))
		ip := []byte{0x45, 0, byte(ipLen >> 8), byte(ipLen), 0, 0, 0, 0, 64, 17, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1}
		out = append(out, ip...)
		udp := []byte{0x13, 0x88, 0x13, 0x89, byte((8 + len(p)) >> 8), byte(8 + len(p)), 0, 0}
		out = append(out, udp...)
		out = append(out, p...)
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
}

var (
	tsFrame = regexp.MustCompile(`(?m)^Frame (\d+):`)
	tsDelta = regexp.MustCompile(`Recv Delta: 0x([0-9a-f]+) [A-Za-z ]+Delta: \[seq: (\d+)\] (-?[0-9.]+) ms`)
	tsChunk = regexp.MustCompile(`Packet Chunk: (\d+) \(0x`)
)

// TestTWCCAgainstTshark decodes TWCC packets with Wireshark's RTCP dissector
// as an independent oracle: for every packet, the chunks, and the sequence
// number and delta of every received packet must agree with ours.
func TestTWCCAgainstTshark(t *testing.T) {
	pkts := [][]byte{unhex(t, twccAllChunks)}
	r := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 60; i++ {
		base := uint16(r.UintN(65536))
		at := time.Duration(r.Int64N(int64(time.Minute)))
		var o []obs
		seq := base
		for n := 1 + r.IntN(120); n > 0; n-- {
			o = append(o, obs{seq, at})
			seq += 1 + uint16(r.IntN(4)/3*r.IntN(30))
			if r.IntN(8) == 0 {
				at += time.Duration(r.IntN(300)-100) * time.Millisecond
			} else {
				at += time.Duration(r.IntN(4000)) * time.Microsecond
			}
		}
		_, b := build(t, base, o)
		pkts = append(pkts, b)
	}
	TsharkCheckTWCC(t, pkts)
}

// TsharkCheckTWCC writes pkts (each one TWCC packet) into a pcap, has tshark
// decode them and fails t unless tshark's chunks and (seq, delta) pairs
// agree with ours for every packet. Exported for the corpus test (test
// builds only). It skips t when tshark is not installed.
func TsharkCheckTWCC(t *testing.T, pkts [][]byte) {
	t.Helper()
	if len(pkts) == 0 {
		t.Fatal("no TWCC packets to check")
	}
	tshark := tsharktest.Path(t, "TWCC cross-check against Wireshark's RTCP dissector")
	dir := t.TempDir()
	path := filepath.Join(dir, "twcc.pcap")
	writePcap(t, path, pkts)
	out, err := exec.Command(tshark, "-r", path, "-d", "udp.port==5000,rtcp", "-V").Output()
	if err != nil {
		t.Fatalf("tshark: %v\n%s", err, out)
	}
	frames := tsFrame.Split(string(out), -1)[1:]
	if len(frames) != len(pkts) {
		t.Fatalf("tshark shows %d frames, wrote %d", len(frames), len(pkts))
	}
	var p TransportCC
	for i, fr := range frames {
		if !strings.Contains(fr, "RTCP frame length check: OK") {
			t.Fatalf("frame %d: tshark length check failed:\n%s", i+1, fr)
		}
		if err := p.Unmarshal(pkts[i]); err != nil {
			t.Fatalf("frame %d: %v", i+1, err)
		}
		var chunks []uint16
		for _, m := range tsChunk.FindAllStringSubmatch(fr, -1) {
			v, _ := strconv.Atoi(m[1])
			chunks = append(chunks, uint16(v))
		}
		if len(chunks) != len(p.Chunks) {
			t.Fatalf("frame %d: tshark %d chunks, we %d", i+1, len(chunks), len(p.Chunks))
		}
		for k := range chunks {
			if chunks[k] != p.Chunks[k] {
				t.Fatalf("frame %d chunk %d: tshark %04x, we %04x", i+1, k, chunks[k], p.Chunks[k])
			}
		}
		var ours []TWCCPacket
		for _, pk := range collect(&p) {
			if pk.Status != TWCCNotReceived {
				ours = append(ours, pk)
			}
		}
		theirs := tsDelta.FindAllStringSubmatch(fr, -1)
		if len(theirs) != len(ours) || len(ours) == 0 {
			t.Fatalf("frame %d: tshark %d deltas, we %d", i+1, len(theirs), len(ours))
		}
		for k, m := range theirs {
			seq, _ := strconv.Atoi(m[2])
			msec, _ := strconv.ParseFloat(m[3], 64)
			if uint16(seq) != ours[k].Seq || int32(msec*4) != ours[k].Delta {
				t.Fatalf("frame %d delta %d: tshark seq %d %.3f ms, we seq %d %d ticks", i+1, k, seq, msec, ours[k].Seq, ours[k].Delta)
			}
		}
	}
}
