package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/sfu"
)

// TestRecorderFolder: a corpus session recorded through sfu.Recorder (its
// datagrams, key log and SDPs, as the SFU's hooks give them) is a folder
// rtcdump reads with its documented flags, and every JSON row and the
// summary are the ones rtcdump prints for the original capture: the
// recorder loses nothing rtcdump shows, and every SRTP/SRTCP packet
// authenticates with the recorded key log.
func TestRecorderFolder(t *testing.T) {
	conformance.ForEachSession(t, func(t *testing.T, s *conformance.Session) {
		rec := sfu.NewRecorder(0)
		rec.Offer(s.Offer)
		rec.Answer(s.Answer)
		for _, x := range s.Exchanges {
			rec.Offer(x.Offer)
			rec.Answer(x.Answer)
		}
		kl, err := os.ReadFile(filepath.Join(s.Dir, "keylog.txt"))
		if err != nil {
			t.Fatal(err)
		}
		rec.KeyLog().Write(kl)
		for _, d := range s.Datagrams {
			rec.Datagram(d.Time, d.Src, d.Dst, d.Payload)
		}
		dir := t.TempDir()
		if err := rec.WriteDir(dir); err != nil {
			t.Fatal(err)
		}
		dump := func(d, capture string) string {
			out, errOut, code := runDump(t, "-json", "-sdp", sdpArgDir(d, s),
				"-keylog", filepath.Join(d, "keylog.txt"), filepath.Join(d, capture))
			if code != 0 {
				t.Fatalf("%s: exit %d: %s", d, code, errOut)
			}
			return out
		}
		got, want := dump(dir, "session.pcapng"), dump(s.Dir, "session.pcapng")
		if got != want {
			g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
			for i := range min(len(g), len(w)) {
				if g[i] != w[i] {
					t.Fatalf("row %d differs:\n recorded %s\n original %s", i+1, g[i], w[i])
				}
			}
			t.Fatalf("%d rows, original %d", len(g), len(w))
		}
		recs, sum := jsonRecords(t, got)
		ok := 0
		for _, r := range recs {
			if r.SRTP != nil && r.SRTP.Auth == "ok" {
				ok++
			}
		}
		media := s.Roles.HasKind("audio") || s.Roles.HasKind("video")
		if (ok == 0 && media) || ok != s.Truth.Counts.SRTPOK+s.Truth.Counts.SRTCPOK || sum.Datagrams != len(s.Datagrams) {
			t.Errorf("%d packets authenticate, truth %d+%d", ok, s.Truth.Counts.SRTPOK, s.Truth.Counts.SRTCPOK)
		}
	})
}
