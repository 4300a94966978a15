package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/rand"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/plainrtc/plainrtc/annotate"
	"github.com/plainrtc/plainrtc/conformance"
)

func runDump(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return o.String(), e.String(), code
}

func sdpArg(s *conformance.Session) string {
	return sdpArgDir(s.Dir, s)
}

// sdpArgDir names the SDP files of s's exchanges in dir, in order.
func sdpArgDir(dir string, s *conformance.Session) string {
	arg := filepath.Join(dir, "offer.sdp") + "," + filepath.Join(dir, "answer.sdp")
	for _, x := range s.Exchanges {
		arg += fmt.Sprintf(",%s,%s", filepath.Join(dir, fmt.Sprintf("offer-%d.sdp", x.N)), filepath.Join(dir, fmt.Sprintf("answer-%d.sdp", x.N)))
	}
	return arg
}

// jsonRecords splits -json output into frame records and the summary.
func jsonRecords(t *testing.T, out string) ([]annotate.Record, annotate.Summary) {
	t.Helper()
	var recs []annotate.Record
	var sum annotate.Summary
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if bytes.HasPrefix(line, []byte(`{"summary"`)) {
			var s struct{ Summary annotate.Summary }
			if err := json.Unmarshal(line, &s); err != nil {
				t.Fatal(err)
			}
			sum = s.Summary
			continue
		}
		var r annotate.Record
		if err := json.Unmarshal(line, &r); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		recs = append(recs, r)
	}
	return recs, sum
}

// TestCorpusJSON (v1): one object per datagram with the documented fields;
// per-class counts as truth.json; every STUN message's integrity and
// fingerprint verify with the SDPs' passwords.
func TestCorpusJSON(t *testing.T) {
	conformance.ForEachSession(t, func(t *testing.T, s *conformance.Session) {
		out, errOut, code := runDump(t, "-json", "-sdp", sdpArg(s), filepath.Join(s.Dir, "session.pcapng"))
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		recs, sum := jsonRecords(t, out)
		c := s.Truth.Counts
		if len(recs) != c.Datagrams || sum.Datagrams != c.Datagrams {
			t.Errorf("%d records, summary %d, truth %d", len(recs), sum.Datagrams, c.Datagrams)
		}
		classes := map[string]int{}
		integrity, fingerprint := 0, 0
		for i, r := range recs {
			classes[r.Class]++
			if r.N != s.Datagrams[i].N || r.Src != s.Datagrams[i].Src.String() || r.Time == "" || r.Dir == "" {
				t.Fatalf("record %d: %+v", i, r)
			}
			switch r.Class {
			case "stun":
				if r.STUN == nil || r.STUN.Type == "" || len(r.STUN.Attrs) == 0 {
					t.Fatalf("frame %d: stun %+v", r.N, r.STUN)
				}
				if r.STUN.Integrity == "ok" {
					integrity++
				}
				if r.STUN.Fingerprint == "ok" {
					fingerprint++
				}
				for _, a := range r.STUN.Attrs {
					if a.Name == "" || !strings.Contains(a.Ref, "RFC") && !strings.Contains(a.Ref, "IANA") {
						t.Errorf("frame %d: attribute %+v has no name or reference", r.N, a)
					}
				}
			case "dtls":
				if r.DTLS == nil || len(r.DTLS.ContentType) == 0 || len(r.DTLS.ContentType) != len(r.DTLS.Records) {
					t.Fatalf("frame %d: dtls %+v", r.N, r.DTLS)
				}
			case "rtp":
				if r.RTP == nil || r.RTP.SSRC == 0 || r.RTP.Version != 2 {
					t.Fatalf("frame %d: rtp %+v", r.N, r.RTP)
				}
			case "rtcp":
				if r.RTCP == nil || r.RTCP.PT < 192 || r.RTCP.PT > 223 || r.RTCP.Index == nil {
					t.Fatalf("frame %d: rtcp %+v", r.N, r.RTCP)
				}
			}
			if r.Error != "" {
				t.Errorf("frame %d: %s", r.N, r.Error)
			}
		}
		for class, want := range map[string]int{"stun": c.STUN, "dtls": c.DTLS, "rtp": c.SRTP, "rtcp": c.SRTCP} {
			if classes[class] != want {
				t.Errorf("%s: %d, truth %d", class, classes[class], want)
			}
		}
		if integrity != c.STUNIntegrityOK || fingerprint != c.STUNFingerprintOK || integrity != c.STUN {
			t.Errorf("integrity ok %d, fingerprint ok %d; truth %d, %d of %d", integrity, fingerprint, c.STUNIntegrityOK, c.STUNFingerprintOK, c.STUN)
		}
		for typ, n := range s.Truth.STUNTypes {
			if sum.STUNTypes[typ] != n {
				t.Errorf("STUN %q: %d, truth %d", typ, sum.STUNTypes[typ], n)
			}
		}
	})
}

// TestCorpusText: the text form names every STUN verdict, DTLS record and
// RTP header, with RFC sections.
func TestCorpusText(t *testing.T) {
	conformance.ForEachSession(t, func(t *testing.T, s *conformance.Session) {
		out, errOut, code := runDump(t, "-sdp", sdpArg(s), filepath.Join(s.Dir, "session.pcapng"))
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		c := s.Truth.Counts
		for sub, want := range map[string]int{
			"integrity ok (RFC 8489 §14.5), fingerprint ok (RFC 8489 §14.7)": c.STUN,
			"    RTP (RFC 3550 §5.1): V=2":                                   c.SRTP,
			" (RFC 6347 §4.1)\n":                                             -1,
		} {
			if n := strings.Count(out, sub); (want >= 0 && n != want) || (want < 0 && n < c.DTLS) {
				t.Errorf("%q appears %d times, want %d", sub, n, want)
			}
		}
		if !strings.Contains(out, "\nsummary: "+strconv.Itoa(c.Datagrams)+" frames") {
			t.Error("no summary line")
		}
	})
}

// TestCorpusDecrypt (v2): with -keylog every SRTP/SRTCP packet
// authenticates, stream packet counts equal truth.json rtp_streams and the
// RTCP packet types equal truth.json rtcp_types.
func TestCorpusDecrypt(t *testing.T) {
	pionNames := map[string]string{
		"SR": "*rtcp.SenderReport", "RR": "*rtcp.ReceiverReport", "SDES": "*rtcp.SourceDescription",
		"TWCC": "*rtcp.TransportLayerCC", "NACK": "*rtcp.TransportLayerNack", "PLI": "*rtcp.PictureLossIndication",
		"BYE": "*rtcp.Goodbye", "REMB": "*rtcp.ReceiverEstimatedMaximumBitrate", "FIR": "*rtcp.FullIntraRequest",
	}
	conformance.ForEachSession(t, func(t *testing.T, s *conformance.Session) {
		out, errOut, code := runDump(t, "-json", "-sdp", sdpArg(s), "-keylog", filepath.Join(s.Dir, "keylog.txt"), filepath.Join(s.Dir, "session.pcapng"))
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		recs, sum := jsonRecords(t, out)
		okRTP, okRTCP, keyframes := 0, 0, 0
		for _, r := range recs {
			if r.Class != "rtp" && r.Class != "rtcp" {
				continue
			}
			if r.SRTP == nil || r.SRTP.Auth != "ok" {
				t.Errorf("frame %d: srtp %+v", r.N, r.SRTP)
				continue
			}
			if r.RTP != nil {
				okRTP++
				if r.RTP.Keyframe != nil && *r.RTP.Keyframe {
					keyframes++
				}
				if r.RTP.Codec == "" {
					t.Errorf("frame %d: PT %d has no codec name", r.N, r.RTP.PT)
				}
			} else {
				okRTCP++
				if len(r.RTCP.Packets) == 0 {
					t.Errorf("frame %d: no RTCP packets decoded", r.N)
				}
			}
		}
		c := s.Truth.Counts
		if okRTP != c.SRTPOK || okRTCP != c.SRTCPOK {
			t.Errorf("auth ok: %d SRTP, %d SRTCP; truth %d, %d", okRTP, okRTCP, c.SRTPOK, c.SRTCPOK)
		}
		if keyframes == 0 && s.Roles.HasKind("video") {
			t.Error("no video keyframe found")
		} else if keyframes == 0 {
			t.Log("no video section: no keyframe to find")
		}
		got := map[string]int{}
		for _, st := range sum.Streams {
			got[strconv.FormatUint(uint64(st.SSRC), 10)+"/pt"+strconv.Itoa(int(st.PT))] = st.Packets
		}
		if len(got) != len(s.Truth.RTPStreams) {
			t.Errorf("%d streams, truth %d", len(got), len(s.Truth.RTPStreams))
		}
		for k, n := range s.Truth.RTPStreams {
			if got[k] != n {
				t.Errorf("stream %s: %d packets, truth %d", k, got[k], n)
			}
		}
		types := map[string]int{}
		for typ, n := range sum.RTCPTypes {
			types[pionNames[typ]] += n
		}
		for typ, n := range s.Truth.RTCPTypes {
			if types[typ] != n {
				t.Errorf("RTCP %s: %d, truth %d", typ, types[typ], n)
			}
		}
		if len(types) != len(s.Truth.RTCPTypes) {
			t.Errorf("RTCP types %v, truth %v", sum.RTCPTypes, s.Truth.RTCPTypes)
		}
	})
}

// TestTruncatedFile: a capture cut mid-block dumps the frames before the
// cut, then exits 1 naming the offset.
func TestTruncatedFile(t *testing.T) {
	dirs, err := conformance.Sessions()
	if err != nil || len(dirs) == 0 {
		t.Fatal("no corpus")
	}
	b, err := os.ReadFile(filepath.Join(dirs[0], "session.pcapng"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "cut.pcapng")
	if err := os.WriteFile(p, b[:len(b)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runDump(t, "-json", p)
	if code != 1 || !strings.Contains(errOut, "offset") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	recs, _ := jsonRecords(t, out)
	if len(recs) < 10 {
		t.Errorf("only %d records before the cut", len(recs))
	}
}

// pcapOf writes a classic pcap (raw IPv4, linktype 101) holding frames.
func pcapOf(frames [][]byte) []byte {
	le := binary.LittleEndian
	b := le.AppendUint32(nil, 0xa1b2c3d4)
	b = le.AppendUint16(b, 2)
	b = le.AppendUint16(b, 4)
	b = append(b, make([]byte, 8)...)
	b = le.AppendUint32(b, 65535)
	b = le.AppendUint32(b, 101)
	for i, f := range frames {
		b = le.AppendUint32(b, uint32(1795000000+i))
		b = le.AppendUint32(b, 0)
		b = le.AppendUint32(b, uint32(len(f)))
		b = le.AppendUint32(b, uint32(len(f)))
		b = append(b, f...)
	}
	return b
}

func udpFrame(src, dst netip.AddrPort, payload []byte) []byte {
	ip := make([]byte, 28, 28+len(payload))
	ip[0] = 0x45
	binary.BigEndian.PutUint16(ip[2:], uint16(28+len(payload)))
	ip[9] = 17
	s, d := src.Addr().As4(), dst.Addr().As4()
	copy(ip[12:], s[:])
	copy(ip[16:], d[:])
	binary.BigEndian.PutUint16(ip[20:], src.Port())
	binary.BigEndian.PutUint16(ip[22:], dst.Port())
	binary.BigEndian.PutUint16(ip[24:], uint16(8+len(payload)))
	return append(ip, payload...)
}

// TestGarbage: random datagrams of every class, a non-UDP frame and a
// random file are reported, never a panic.
func TestGarbage(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	a := netip.MustParseAddrPort("10.0.0.1:1000")
	b := netip.MustParseAddrPort("10.0.0.2:2000")
	var frames [][]byte
	for i := 0; i < 2000; i++ {
		p := make([]byte, rng.Intn(80))
		rng.Read(p)
		if len(p) > 0 {
			p[0] = byte(i) // every first byte, so every class
		}
		frames = append(frames, udpFrame(a, b, p))
	}
	tcp := udpFrame(a, b, make([]byte, 20))
	tcp[9] = 6
	frames = append(frames, tcp)
	dir := t.TempDir()
	p := filepath.Join(dir, "garbage.pcap")
	os.WriteFile(p, pcapOf(frames), 0o644)
	dirs, _ := conformance.Sessions()
	out, errOut, code := runDump(t, "-json", "-sdp", filepath.Join(dirs[0], "offer.sdp")+","+filepath.Join(dirs[0], "answer.sdp"),
		"-keylog", filepath.Join(dirs[0], "keylog.txt"), p)
	// No DTLS hello in the garbage: -keylog cannot derive keys.
	if code != 1 || !strings.Contains(errOut, "DTLS") {
		t.Errorf("with -keylog: exit %d, %q", code, errOut)
	}
	out, errOut, code = runDump(t, "-json", p)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	recs, sum := jsonRecords(t, out)
	if len(recs) != len(frames) || sum.Skipped != 1 || recs[len(recs)-1].Class != "skipped" {
		t.Errorf("%d records for %d frames, %d skipped", len(recs), len(frames), sum.Skipped)
	}
	if _, _, code := runDump(t, p); code != 0 {
		t.Errorf("text: exit %d", code)
	}
	rnd := make([]byte, 5000)
	rng.Read(rnd)
	os.WriteFile(p, rnd, 0o644)
	if _, errOut, code := runDump(t, p); code != 1 || errOut == "" {
		t.Errorf("random file: exit %d %q", code, errOut)
	}
	if _, _, code := runDump(t, "-sdp", "only-one.sdp", p); code != 2 {
		t.Errorf("bad -sdp: exit %d", code)
	}
	if _, _, code := runDump(t); code != 2 {
		t.Errorf("no file: exit %d", code)
	}
}

// FuzzDecodeDatagram feeds arbitrary payloads through every decoder, with
// the corpus SDPs and keys loaded.
func FuzzDecodeDatagram(f *testing.F) {
	dirs, _ := conformance.Sessions()
	s, err := conformance.Load(dirs[0])
	if err != nil {
		f.Fatal(err)
	}
	for i, d := range s.Datagrams {
		if i%20 == 0 {
			f.Add(d.Payload)
		}
	}
	info, err := loadSDPs(filepath.Join(s.Dir, "offer.sdp"), filepath.Join(s.Dir, "answer.sdp"))
	if err != nil {
		f.Fatal(err)
	}
	keys, err := keysFromKeyLog(filepath.Join(s.Dir, "keylog.txt"), &s.Hello)
	if err != nil {
		f.Fatal(err)
	}
	ann, err := annotate.New(annotate.Config{SDP: info, Profile: s.Hello.SRTPProfile, Keys: &keys})
	if err != nil {
		f.Fatal(err)
	}
	d := &dumper{roles: s.Roles, hello: &s.Hello, ann: ann}
	f.Fuzz(func(t *testing.T, p []byte) {
		r := d.decode(conformance.Datagram{N: 1, Src: s.Browser, Dst: s.Server, Payload: p})
		var buf bytes.Buffer
		if err := annotate.WriteText(&buf, r); err != nil {
			t.Fatal(err)
		}
		if _, err := json.Marshal(r); err != nil {
			t.Fatal(err)
		}
	})
}

// TestDerivedDecrypt: rtcdump takes its roles from conformance.DeriveRoles,
// so on every derived variant of every session (audio or data channel only,
// browser as answerer, DTLS roles swapped, full ICE with checks both ways)
// it labels each datagram with the side that sent it, verifies every STUN
// message (integrity and fingerprint) and authenticates 100% of SRTP and
// SRTCP in both directions. The variant is written to a folder and run
// through the command line with its documented flags; the JSON rows keep
// their field names (class, stun.integrity, stun.fingerprint, srtp.auth).
func TestDerivedDecrypt(t *testing.T) {
	conformance.ForEachDerived(t, func(t *testing.T, s *conformance.Session) {
		dir, orig := writeDerived(t, s)
		out, errOut, code := runDump(t, "-json", "-sdp", sdpArgDir(dir, orig),
			"-keylog", filepath.Join(dir, "keylog.txt"), filepath.Join(dir, "session.pcap"))
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		recs, _ := jsonRecords(t, out)
		if len(recs) != len(s.Datagrams) {
			t.Fatalf("%d records for %d datagrams", len(recs), len(s.Datagrams))
		}
		var n [4]int // stun, srtp, srtcp, and of them authenticated/verified
		var ok [4]int
		for i, r := range recs {
			d := s.Datagrams[i]
			want := "server>browser"
			if s.FromBrowser(d) {
				want = "browser>server"
			}
			if r.Dir != want {
				t.Errorf("frame %d: direction %q, the roles say %q", r.N, r.Dir, want)
			}
			switch r.Class {
			case "stun":
				n[0]++
				if r.STUN != nil && r.STUN.Integrity == "ok" && r.STUN.Fingerprint == "ok" {
					ok[0]++
				} else {
					t.Errorf("frame %d: stun %+v", r.N, r.STUN)
				}
			case "rtp", "rtcp":
				k := 1
				if r.Class == "rtcp" {
					k = 2
				}
				n[k]++
				if r.SRTP != nil && r.SRTP.Auth == "ok" {
					ok[k]++
				} else {
					t.Errorf("frame %d (%s): srtp %+v", r.N, r.Dir, r.SRTP)
				}
			}
		}
		if n[0] == 0 {
			t.Error("no STUN records")
		}
		// The rows' field names, read without the record type.
		for _, line := range strings.Split(out, "\n") {
			if !strings.Contains(line, `"class":"rtp"`) {
				continue
			}
			var row map[string]json.RawMessage
			if err := json.Unmarshal([]byte(line), &row); err != nil {
				t.Fatal(err)
			}
			var auth map[string]any
			if err := json.Unmarshal(row["srtp"], &auth); err != nil || auth["auth"] != "ok" {
				t.Errorf("row srtp.auth: %s (%v)", row["srtp"], err)
			}
			break
		}
		t.Logf("STUN %d/%d verified, SRTP %d/%d and SRTCP %d/%d authenticated (%s)", ok[0], n[0], ok[1], n[1], ok[2], n[2], s.Roles.String())
	})
}

// writeDerived writes derived session s as a capture folder (pcap, key
// log, SDPs) and returns it with the corpus session it derives from.
func writeDerived(t *testing.T, s *conformance.Session) (dir string, orig *conformance.Session) {
	t.Helper()
	orig, err := conformance.Load(filepath.Join(conformance.CorpusDir(), strings.Split(s.Name, "/")[0]))
	if err != nil {
		t.Fatal(err)
	}
	f, err := conformance.DeriveFiles(orig, s.Derived)
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	if err := f.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	return dir, orig
}
