package conformance_test

import (
	"encoding/binary"
	"net/netip"
	"testing"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/internal/demux"
)

// TestDTLSRecordsCorpus walks every DTLS datagram of the corpus: records
// must tile the datagram exactly and clear-text handshake records must
// tile into handshake fragments.
func TestDTLSRecordsCorpus(t *testing.T) {
	conformance.ForEachSession(t, func(t *testing.T, s *conformance.Session) {
		records, hellos := 0, 0
		for _, d := range s.Datagrams {
			if demux.Classify(d.Payload) != demux.DTLS {
				continue
			}
			for rest := d.Payload; len(rest) > 0; {
				rec, next, err := conformance.NextDTLSRecord(rest)
				if err != nil {
					t.Fatalf("frame %d: %v", d.N, err)
				}
				records++
				rest = next
				if rec.Version != 0xfefd && rec.Version != 0xfeff {
					t.Errorf("frame %d: record version %#x", d.N, rec.Version)
				}
				if rec.ContentType != conformance.DTLSHandshake || rec.Epoch != 0 {
					continue
				}
				for hs := rec.Fragment; len(hs) > 0; {
					f, next, err := conformance.NextDTLSHandshake(hs)
					if err != nil {
						t.Fatalf("frame %d: %v", d.N, err)
					}
					hs = next
					if f.Type == conformance.HandshakeClientHello || f.Type == conformance.HandshakeServerHello {
						hellos++
					}
				}
			}
		}
		if records < s.Truth.Counts.DTLS || hellos < 2 {
			t.Errorf("%d records in %d DTLS datagrams, %d hellos", records, s.Truth.Counts.DTLS, hellos)
		}
	})
}

// refragment rewrites every clear-text hello of datagrams as fragments of
// at most size bytes, one record per fragment, and sends the fragments in
// reverse order in one datagram.
func refragment(t *testing.T, ds []conformance.Datagram, size int) []conformance.Datagram {
	var out []conformance.Datagram
	for _, d := range ds {
		if demux.Classify(d.Payload) != demux.DTLS {
			out = append(out, d)
			continue
		}
		var pay []byte
		for rest := d.Payload; len(rest) > 0; {
			rec, next, err := conformance.NextDTLSRecord(rest)
			if err != nil {
				t.Fatal(err)
			}
			raw := rest[:len(rest)-len(next)]
			rest = next
			if rec.ContentType != conformance.DTLSHandshake || rec.Epoch != 0 {
				pay = append(pay, raw...)
				continue
			}
			for hs := rec.Fragment; len(hs) > 0; {
				f, next, err := conformance.NextDTLSHandshake(hs)
				if err != nil {
					t.Fatal(err)
				}
				hs = next
				var frags [][]byte
				for off := 0; off < len(f.Body); off += size {
					end := min(off+size, len(f.Body))
					h := make([]byte, 12)
					h[0] = f.Type
					put24(h[1:], f.Length)
					binary.BigEndian.PutUint16(h[4:], f.MessageSeq)
					put24(h[6:], uint32(off))
					put24(h[9:], uint32(end-off))
					frag := append(h, f.Body[off:end]...)
					r := append([]byte{conformance.DTLSHandshake}, raw[1:11]...)
					r = binary.BigEndian.AppendUint16(r, uint16(len(frag)))
					frags = append(frags, append(r, frag...))
				}
				for i := len(frags) - 1; i >= 0; i-- {
					pay = append(pay, frags[i]...)
				}
			}
		}
		d.Payload = pay
		out = append(out, d)
	}
	return out
}

func put24(b []byte, v uint32) { b[0], b[1], b[2] = byte(v>>16), byte(v>>8), byte(v) }

// TestFindDTLSHelloFragmented: hellos cut into 50-byte fragments delivered
// out of order give the same randoms, suite and profile.
func TestFindDTLSHelloFragmented(t *testing.T) {
	conformance.ForEachSession(t, func(t *testing.T, s *conformance.Session) {
		frag := refragment(t, s.Datagrams, 50)
		h, err := conformance.FindDTLSHello(frag)
		if err != nil {
			t.Fatal(err)
		}
		if h != s.Hello {
			t.Errorf("fragmented: %+v\nwhole: %+v", h, s.Hello)
		}
	})
}

func TestFindDTLSHelloErrors(t *testing.T) {
	a := netip.MustParseAddrPort("10.0.0.1:1000")
	b := netip.MustParseAddrPort("10.0.0.2:2000")
	for name, payload := range map[string][]byte{
		"record overruns":     {22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 40, 1, 2},
		"handshake overruns":  {22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12, 1, 0, 0, 40, 0, 0, 0, 0, 0, 0, 0, 40},
		"client hello short":  {22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 14, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 2, 0xfe, 0xfd},
		"tls12_cid record":    {25, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0},
		"fragment past end":   {22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 14, 1, 0, 0, 2, 0, 0, 0, 0, 1, 0, 0, 2, 0, 0},
		"no hellos, only ccs": {20, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1},
	} {
		_, err := conformance.FindDTLSHello([]conformance.Datagram{{N: 1, Src: a, Dst: b, Payload: payload}})
		if err == nil {
			t.Errorf("%s: no error", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
}

func FuzzFindDTLSHello(f *testing.F) {
	dirs, _ := conformance.Sessions()
	if len(dirs) > 0 {
		if s, err := conformance.Load(dirs[0]); err == nil {
			for _, d := range s.Datagrams {
				if demux.Classify(d.Payload) == demux.DTLS && len(d.Payload) < 1500 {
					f.Add(d.Payload)
				}
			}
		}
	}
	a := netip.MustParseAddrPort("10.0.0.1:1000")
	b := netip.MustParseAddrPort("10.0.0.2:2000")
	f.Fuzz(func(t *testing.T, p []byte) {
		// Both directions, so a ClientHello in one lets a ServerHello in the other count.
		ds := []conformance.Datagram{{N: 1, Src: a, Dst: b, Payload: p}, {N: 2, Src: b, Dst: a, Payload: p}}
		conformance.FindDTLSHello(ds)
		for rest := p; len(rest) > 0; {
			rec, next, err := conformance.NextDTLSRecord(rest)
			if err != nil {
				break
			}
			if len(next) >= len(rest) {
				t.Fatal("NextDTLSRecord made no progress")
			}
			rest = next
			for hs := rec.Fragment; len(hs) > 0; {
				_, next, err := conformance.NextDTLSHandshake(hs)
				if err != nil {
					break
				}
				if len(next) >= len(hs) {
					t.Fatal("NextDTLSHandshake made no progress")
				}
				hs = next
			}
		}
	})
}
