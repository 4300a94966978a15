package conformance

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/internal/tsharktest"
)

const baseSec = 1795000000 // a second in 2026

// interfaces of the synthetic pcapng: units per second and tsresol option.
var testResolutions = []struct {
	tsresol  byte
	perSec   uint64 // 0: 2^20
	tsoffset int64
}{
	{0, 1e6, 0},       // default: microseconds
	{9, 1e9, 0},       // nanoseconds
	{0x80 | 20, 0, 0}, // 2^-20 s
	{3, 1e3, 3600},    // milliseconds, one hour offset
}

// tsFor returns a timestamp in the interface's units for frame i, and the
// time it stands for (computed with big rationals, independently of the reader).
func tsFor(res int, i int) (uint64, time.Time) {
	r := testResolutions[res]
	per := r.perSec
	if per == 0 {
		per = 1 << 20
	}
	ts := uint64(baseSec)*per + uint64(i)*per/7 + uint64(i)
	q := new(big.Rat).SetFrac(new(big.Int).SetUint64(ts), new(big.Int).SetUint64(per))
	sec := new(big.Int).Quo(q.Num(), q.Denom())
	frac := new(big.Rat).Sub(q, new(big.Rat).SetInt(sec))
	ns := new(big.Int).Quo(new(big.Int).Mul(frac.Num(), big.NewInt(1e9)), frac.Denom())
	return ts, time.Unix(sec.Int64()+r.tsoffset, ns.Int64()).UTC()
}

type synthFile struct {
	name   string
	data   []byte
	frames []testFrame
	times  []time.Time // expected time per frame; zero when the block has none
}

// synthCaptures returns classic pcap files (both byte orders, µs and ns) per
// link type and one pcapng with two sections of opposite byte orders, an
// interface per link type and resolution, EPBs and one SPB.
func synthCaptures() []synthFile {
	all := testFrames()
	byLink := map[uint32][]testFrame{}
	var links []uint32
	for _, f := range all {
		if byLink[f.linkType] == nil {
			links = append(links, f.linkType)
		}
		byLink[f.linkType] = append(byLink[f.linkType], f)
	}
	var out []synthFile
	for _, lt := range links {
		for _, o := range []struct {
			name  string
			order testOrder
		}{{"le", binary.LittleEndian}, {"be", binary.BigEndian}} {
			for _, nano := range []bool{false, true} {
				fs := append([]testFrame(nil), byLink[lt]...)
				var times []time.Time
				for i := range fs {
					fs[i].ts = uint64(baseSec+i)*1e9 + uint64(i)*123456789
					t := time.Unix(0, int64(fs[i].ts)).UTC()
					if !nano {
						t = t.Truncate(time.Microsecond)
					}
					times = append(times, t)
				}
				name := fmt.Sprintf("link%d-%s-nano%v.pcap", lt, o.name, nano)
				out = append(out, synthFile{name, pcapFile(o.order, nano, lt, fs), fs, times})
			}
		}
	}
	// pcapng: per section, one interface per (link type, resolution).
	var b []byte
	var fs []testFrame
	var times []time.Time
	for _, order := range []testOrder{binary.LittleEndian, binary.BigEndian} {
		b = pcapngSHB(b, order)
		// Interface 0 is Ethernet with a snapshot length, used by the SPB.
		ifID := map[[2]int]uint32{}
		n := uint32(0)
		for li, lt := range links {
			for res := range testResolutions {
				b = pcapngIDB(b, order, lt, 262144, testResolutions[res].tsresol, testResolutions[res].tsoffset)
				ifID[[2]int{li, res}] = n
				n++
			}
		}
		for i, f := range all {
			li := 0
			for j, lt := range links {
				if lt == f.linkType {
					li = j
				}
			}
			res := i % len(testResolutions)
			ts, t := tsFor(res, i)
			b = pcapngEPB(b, order, ifID[[2]int{li, res}], ts, f.data)
			fs = append(fs, f)
			times = append(times, t)
		}
		// A Simple Packet Block: interface 0 (links[0], microseconds), no time.
		b = pcapngSPB(b, order, all[0].data)
		fs = append(fs, all[0])
		times = append(times, time.Time{})
		// A block this reader does not know (a Name Resolution Block) is skipped.
		b = pcapngBlock(b, order, 4, []byte{0, 0, 0, 0})
	}
	out = append(out, synthFile{"multi.pcapng", b, fs, times})
	return out
}

func TestReadSynthetic(t *testing.T) {
	for _, f := range synthCaptures() {
		t.Run(f.name, func(t *testing.T) {
			ds, st, err := ParseCapture(f.data)
			if err != nil {
				t.Fatal(err)
			}
			if st.Frames != len(f.frames) {
				t.Errorf("%d frames, want %d", st.Frames, len(f.frames))
			}
			k, skipped := 0, 0
			for i, want := range f.frames {
				if !want.udp {
					if skipped >= len(st.Skipped) || st.Skipped[skipped].N != i+1 {
						t.Errorf("frame %d not reported skipped: %+v", i+1, st.Skipped)
					}
					skipped++
					continue
				}
				if k >= len(ds) {
					t.Fatalf("only %d datagrams", len(ds))
				}
				d := ds[k]
				k++
				if d.N != i+1 || d.Src != want.src || d.Dst != want.dst || !bytes.Equal(d.Payload, want.payload) {
					t.Errorf("frame %d: got N=%d %v->%v %d bytes, want %v->%v %d bytes", i+1, d.N, d.Src, d.Dst, len(d.Payload), want.src, want.dst, len(want.payload))
				}
				if wt := f.times[i]; !wt.IsZero() && !d.Time.Equal(wt) {
					t.Errorf("frame %d: time %v, want %v", i+1, d.Time, wt)
				}
			}
			if k != len(ds) || skipped != len(st.Skipped) || st.UDP != len(ds) {
				t.Errorf("%d datagrams (want %d), %d skipped (want %d), UDP %d", len(ds), k, len(st.Skipped), skipped, st.UDP)
			}
		})
	}
}

// TestCaptureAgainstTshark compares the reader with tshark on the corpus,
// the exporter capture and every synthetic file: same UDP frames, ports,
// lengths and timestamps.
func TestCaptureAgainstTshark(t *testing.T) {
	tshark := tsharktest.Path(t, "capture reader against tshark")
	dir := t.TempDir()
	files := map[string]string{}
	for _, f := range synthCaptures() {
		// tshark starts slowly: every link type in one pcap variant, every
		// pcap variant for Ethernet, and the multi-section pcapng.
		if strings.HasSuffix(f.name, ".pcap") && !strings.HasPrefix(f.name, "link1-") && !strings.HasSuffix(f.name, "-le-nanofalse.pcap") {
			continue
		}
		p := filepath.Join(dir, f.name)
		if err := os.WriteFile(p, f.data, 0o644); err != nil {
			t.Fatal(err)
		}
		files[f.name] = p
	}
	corpus, _ := filepath.Glob("testdata/corpus/*/session.pcapng")
	corpus = append(corpus, "testdata/exporter-openssl/dtls.pcapng")
	for _, p := range corpus {
		files[p] = p
	}
	for name, p := range files {
		t.Run(strings.ReplaceAll(name, "/", "_"), func(t *testing.T) {
			t.Parallel()
			out, err := exec.Command(tshark, "-n", "-r", p, "-T", "fields", "-E", "separator=/t",
				"-e", "frame.number", "-e", "udp.srcport", "-e", "udp.dstport", "-e", "udp.length", "-e", "frame.time_epoch", "-e", "icmp.type", "-e", "icmpv6.type").Output()
			if err != nil {
				t.Fatalf("tshark: %v", err)
			}
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			ds, st, err := ParseCapture(b)
			if err != nil {
				t.Fatal(err)
			}
			byN := map[int]Datagram{}
			for _, d := range ds {
				byN[d.N] = d
			}
			// Frames the reader skips on purpose where tshark shows UDP
			// fields: IP fragments (tshark reassembles) and ICMP errors
			// (tshark decodes the quoted UDP header).
			fragment := map[int]bool{}
			for _, s := range st.Skipped {
				fragment[s.N] = strings.Contains(s.Reason, "fragment")
			}
			frames, udp, ignored := 0, 0, 0
			sc := bufio.NewScanner(bytes.NewReader(out))
			for sc.Scan() {
				f := strings.Split(sc.Text(), "\t")
				if len(f) != 7 {
					t.Fatalf("tshark line %q", sc.Text())
				}
				frames++
				n, _ := strconv.Atoi(f[0])
				d, ok := byN[n]
				if f[5] != "" || f[6] != "" || fragment[n] {
					ignored++
					continue
				}
				if f[1] == "" {
					if ok {
						t.Errorf("frame %d: tshark sees no UDP, reader returned %v->%v", n, d.Src, d.Dst)
					}
					continue
				}
				udp++
				if !ok {
					t.Errorf("frame %d: tshark sees UDP %s->%s, reader skipped it", n, f[1], f[2])
					continue
				}
				want := fmt.Sprintf("%d %d %d", d.Src.Port(), d.Dst.Port(), len(d.Payload)+8)
				if got := f[1] + " " + f[2] + " " + f[3]; got != want {
					t.Errorf("frame %d: tshark %s, reader %s", n, got, want)
				}
				if !d.Time.IsZero() {
					if !closeEpoch(f[4], d.Time) {
						t.Errorf("frame %d: tshark time %s, reader %d.%09d", n, f[4], d.Time.Unix(), d.Time.Nanosecond())
					}
				}
			}
			if frames != st.Frames || udp != len(ds) {
				t.Errorf("tshark: %d frames, %d UDP (%d ICMP or fragments); reader: %d frames, %d UDP", frames, udp, ignored, st.Frames, len(ds))
			}
			if udp == 0 {
				t.Error("no UDP datagrams compared")
			}
		})
	}
}

// closeEpoch reports whether tshark's epoch string is within a nanosecond of t
// (tshark rounds binary fractions).
func closeEpoch(s string, t time.Time) bool {
	sec, frac, _ := strings.Cut(s, ".")
	for len(frac) < 9 {
		frac += "0"
	}
	a, err1 := strconv.ParseInt(sec, 10, 64)
	b, err2 := strconv.ParseInt(frac[:9], 10, 64)
	if err1 != nil || err2 != nil {
		return false
	}
	d := time.Unix(a, b).Sub(t)
	return d >= -time.Nanosecond && d <= time.Nanosecond
}
