package conformance

import (
	"slices"
	"testing"
)

// FuzzDeriveRoles: arbitrary bytes as one datagram of a real session (a
// forged check, a stray DTLS record, ...) and as the offer never make
// DeriveRoles, Check or DeriveSDP panic.
func FuzzDeriveRoles(f *testing.F) {
	dirs, err := Sessions()
	if err != nil || len(dirs) == 0 {
		f.Fatal(dirs, err)
	}
	s, err := Load(dirs[0])
	if err != nil {
		f.Fatal(err)
	}
	for _, d := range s.Datagrams[:8] {
		f.Add(d.Payload, s.Offer)
	}
	f.Add([]byte{0, 1, 0, 0}, []byte("v=0\r\nm=audio 9 X 1\r\na=group:BUNDLE\r\n"))
	f.Fuzz(func(t *testing.T, payload, offer []byte) {
		ds := slices.Clone(s.Datagrams[:40])
		ds[3].Payload = payload
		if r, err := DeriveRoles(ds, offer, s.Answer, &s.Hello, nil); err == nil {
			r.Check()
			_ = r.String()
		}
		r, _ := DeriveRoles(ds, s.Offer, s.Answer, &s.Hello, map[string]any{"browser": string(payload)})
		r.Check()
		for _, v := range Variants {
			DeriveSDP(v.Name, offer, s.Answer)
		}
	})
}
