package dtlswire

import "testing"

// FuzzRecords walks arbitrary bytes as a datagram of DTLS records, their
// handshake fragments, hellos and use_srtp: errors, never a panic, and a
// record never claims more bytes than the input holds.
func FuzzRecords(f *testing.F) {
	f.Add([]byte{22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{23, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 5, 0, 2, 1, 2})
	f.Fuzz(func(t *testing.T, b []byte) {
		for rest := b; len(rest) > 0; {
			rec, next, err := NextDTLSRecord(rest)
			if err != nil {
				return
			}
			if len(next) >= len(rest) {
				t.Fatalf("record consumed nothing: %d then %d bytes", len(rest), len(next))
			}
			rest = next
			_ = ContentTypeName(rec.ContentType)
			for hs := rec.Fragment; len(hs) > 0; {
				h, n, err := NextDTLSHandshake(hs)
				if err != nil {
					break
				}
				hs = n
				_ = HandshakeTypeName(h.Type)
				var exts []byte
				if ch, err := ParseClientHello(h.Body); err == nil {
					exts = ch.Extensions
				} else if sh, err := ParseServerHello(h.Body); err == nil {
					exts = sh.Extensions
				}
				if d, ok, err := FindExtension(exts, ExtensionUseSRTP); ok && err == nil {
					if u, err := ParseUseSRTP(d); err == nil {
						for i := 0; i < u.NumProfiles(); i++ {
							_ = SRTPProfileName(u.Profile(i))
						}
					}
				}
			}
		}
	})
}
