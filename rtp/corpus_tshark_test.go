package rtp_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/internal/tsharktest"
	"github.com/plainrtc/plainrtc/rtp"
)

// tsharkOrSkip returns tshark's path, skipping the test when it is missing
// unless PLAINRTC_REQUIRE_BROWSER=1 (CI), where a missing tool fails.
func tsharkOrSkip(t *testing.T) string {
	t.Helper()
	return tsharktest.Path(t, "RTP cross-check against Wireshark's dissectors")
}

// The VP8 keyframes rtp finds in the decrypted packets of every session are
// exactly those Wireshark's VP8 dissector finds in the same packets: both
// are written to a pcap, tshark decodes it with "-d udp.port==<server>,rtp
// -d rtp.pt==<VP8 PT>,vp8" and reports vp8.hdr.frametype (0 = key frame,
// RFC 7741 §4.3) for every packet that starts a frame.
func TestCorpusVP8KeyframesMatchTshark(t *testing.T) {
	tshark := tsharkOrSkip(t)
	conformance.ForEachSession(t, func(t *testing.T, s *conformance.Session) {
		t.Parallel() // each folder waits on its own tshark process
		maps := readSessionMaps(s)
		vp8PT, ok := maps.ptOf("VP8")
		if !ok {
			t.Skip("no VP8 payload type in the SDPs: no keyframes to compare")
		}
		pkts := decryptOrSkip(t, s)
		pcapPath := writeClearPcap(t, pkts)
		ours := map[int]bool{} // pcap frame number → keyframe, for VP8 packets
		var p rtp.Packet
		for i, cp := range pkts {
			if err := p.Unmarshal(cp.clear); err != nil {
				t.Fatal(err)
			}
			if p.PayloadType != vp8PT || len(p.Payload) == 0 {
				continue
			}
			key, err := rtp.VP8IsKeyframe(p.Payload)
			if err != nil {
				t.Fatalf("frame %d: %v", cp.d.N, err)
			}
			ours[i+1] = key
		}
		lines := runTshark(t, tshark, pcapPath, s.Server.Port(),
			[]string{"-d", fmt.Sprintf("rtp.pt==%d,vp8", vp8PT)},
			"frame.number", "rtp.p_type", "vp8.hdr.frametype")
		theirs := map[int]bool{} // frame → keyframe, frames with a VP8 payload header
		rtpFrames := 0
		for _, fields := range lines {
			n, err := strconv.Atoi(fields[0])
			if err != nil {
				t.Fatalf("tshark line %q", fields)
			}
			if fields[1] != "" {
				rtpFrames++
			}
			switch fields[2] {
			case "":
			case "0", "False":
				theirs[n] = true
			case "1", "True":
				theirs[n] = false
			default:
				t.Fatalf("tshark frametype %q in line %q", fields[2], fields)
			}
		}
		if rtpFrames != len(pkts) {
			t.Fatalf("tshark decoded %d of %d frames as RTP", rtpFrames, len(pkts))
		}
		var keys, starts int
		for n, key := range ours {
			theirKey, has := theirs[n]
			if key && (!has || !theirKey) {
				t.Errorf("pcap frame %d: rtp says keyframe, tshark frametype %v (present %v)", n, theirKey, has)
			}
			if !key && has && theirKey {
				t.Errorf("pcap frame %d: tshark says keyframe, rtp does not", n)
			}
			if key {
				keys++
			}
		}
		for n := range theirs {
			if _, ok := ours[n]; !ok {
				t.Errorf("pcap frame %d: tshark decoded a VP8 header in a packet rtp does not see as VP8", n)
			}
			starts++
		}
		if len(ours) == 0 {
			t.Skip("VP8 negotiated but no VP8 packets sent")
		}
		if keys == 0 {
			t.Logf("no VP8 keyframes in %d VP8 packets: tshark and rtp agree none is one", len(ours))
		}
		t.Logf("%d VP8 packets, %d with a VP8 payload header per tshark, %d keyframes: rtp and tshark agree", len(ours), starts, keys)
	})
}

// writeClearPcap writes the decrypted packets, one UDP/IPv4 frame each in
// order, to a temporary pcap and returns its path: pcap frame i+1 is
// pkts[i].
func writeClearPcap(t *testing.T, pkts []clearPacket) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "clear.pcap")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := newPcapWriter(f)
	for _, cp := range pkts {
		if !cp.d.Src.Addr().Unmap().Is4() || !cp.d.Dst.Addr().Unmap().Is4() {
			t.Fatalf("frame %d: %v → %v is not IPv4; the pcap writer writes IPv4 only", cp.d.N, cp.d.Src, cp.d.Dst)
		}
		w.writeUDP(cp.d.Time, cp.d.Src, cp.d.Dst, cp.clear)
	}
	if err := f.Close(); err != nil || w.err != nil {
		t.Fatalf("writing pcap: %v %v", err, w.err)
	}
	return path
}

// runTshark decodes UDP port port as RTP (no heuristics) plus extra
// decode-as options and returns the requested fields per frame, split on
// tabs.
func runTshark(t *testing.T, tshark, pcapPath string, port uint16, extra []string, fields ...string) [][]string {
	t.Helper()
	args := []string{"-r", pcapPath, "-o", "rtp.heuristic_rtp:FALSE", "-d", fmt.Sprintf("udp.port==%d,rtp", port)}
	args = append(args, extra...)
	args = append(args, "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,")
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	cmd := exec.Command(tshark, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark: %v\n%s", err, stderr.String())
	}
	var lines [][]string
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) != len(fields) {
			t.Fatalf("tshark line %q: %d fields, want %d", sc.Text(), len(f), len(fields))
		}
		lines = append(lines, f)
	}
	return lines
}
