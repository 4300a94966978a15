package sdp

import (
	"strconv"
	"strings"
)

// bindings records the payload types and header extension IDs already
// bound in a session, so that new sections in the same BUNDLE group reuse
// them: one PT means one codec configuration (RFC 9143 §9.1.1) and one
// extension ID one URI (RFC 8285 §6) across the group.
type bindings struct {
	pt      map[uint8]string      // PT -> "<pt> <enc>/<rate>[/<params>];<fmtp>"
	ptFor   map[string]boundCodec // codec key -> its binding
	rtx     map[uint8]uint8       // primary PT -> rtx PT
	ext     map[string]int        // URI -> ID
	usedExt map[int]bool
	kind    map[uint8]string
}

func newBindings(s *Session) *bindings {
	b := &bindings{pt: map[uint8]string{}, ptFor: map[string]boundCodec{}, rtx: map[uint8]uint8{},
		ext: map[string]int{}, usedExt: map[int]bool{}, kind: map[uint8]string{}}
	for i := range s.Media {
		m := &s.Media[i]
		for r := range m.RTPMaps() {
			fm, _ := m.FMTP(strconv.Itoa(int(r.PayloadType)))
			b.pt[r.PayloadType] = r.String() + ";" + fm.Params
			b.kind[r.PayloadType] = m.MediaLine().Media
			if strings.EqualFold(r.Encoding, "rtx") {
				if apt, ok := fm.Param("apt"); ok {
					if p, err := parsePT(apt); err == nil {
						b.rtx[p] = r.PayloadType
					}
				}
			}
		}
		for e := range s.ExtMaps(m) {
			b.ext[e.URI] = e.ID
			b.usedExt[e.ID] = true
		}
	}
	return b
}

// boundCodec is a codec's payload types and fmtp parameters in a session.
type boundCodec struct {
	pt, rtx uint8
	fmtp    string
}

// pts returns the payload types for codec c (and its RTX) and the fmtp
// parameters to write: those already bound to a matching format in the
// session (the lowest such PT, with its parameters, RFC 9143 §9.1.1), else c's own PT when
// free, else the first free dynamic PT (RFC 3551 §6: 96-127).
func (b *bindings) pts(c *Codec) boundCodec {
	key := c.Kind + "/" + strings.ToLower(c.Name) + "/" + strconv.FormatUint(uint64(c.ClockRate), 10) + ";" + c.FMTP
	if bc, ok := b.ptFor[key]; ok {
		return bc
	}
	var pt, rtxPT uint8
	fmtpParams := c.FMTP
	found := false
	// Lowest matching PT first, so that offers do not depend on map order.
	for p := uint8(0); p <= 127; p++ {
		// conf is "<pt> <enc>/<rate>[/<params>];<fmtp>" for bound formats.
		_, rest, ok := strings.Cut(b.pt[p], " ")
		if !ok || b.kind[p] != c.Kind {
			continue
		}
		rm, fmtp, _ := strings.Cut(rest, ";")
		r, err := ParseRTPMap(strconv.Itoa(int(p)) + " " + rm)
		if err == nil && c.Matches(r, FMTP{Params: fmtp}) {
			pt, rtxPT, found, fmtpParams = p, b.rtx[p], true, fmtp
			break
		}
	}
	if !found {
		pt = b.claim(c.PayloadType)
	}
	switch {
	case c.RTXPayloadType == 0:
		rtxPT = 0
	case rtxPT == 0:
		rtxPT = b.claim(c.RTXPayloadType)
	}
	if !found {
		b.pt[pt] = key
		b.kind[pt] = c.Kind
	}
	if rtxPT != 0 {
		b.rtx[pt] = rtxPT
		b.pt[rtxPT] = "rtx/" + key
	}
	bc := boundCodec{pt: pt, rtx: rtxPT, fmtp: fmtpParams}
	b.ptFor[key] = bc
	return bc
}

// claim returns want when it is unbound, else the first free dynamic PT.
func (b *bindings) claim(want uint8) uint8 {
	if _, taken := b.pt[want]; !taken {
		b.pt[want] = "claimed"
		return want
	}
	for p := uint8(96); p <= 127; p++ {
		if _, taken := b.pt[p]; !taken {
			b.pt[p] = "claimed"
			return p
		}
	}
	return want
}

// extID returns the ID bound to uri, binding a free one-byte ID (1-14,
// RFC 8285 §4.2) when it has none; 0 when none is free.
func (b *bindings) extID(uri string) int {
	if id, ok := b.ext[uri]; ok {
		return id
	}
	for id := 1; id <= 14; id++ {
		if !b.usedExt[id] {
			b.usedExt[id] = true
			b.ext[uri] = id
			return id
		}
	}
	return 0
}

// formatsFor lists the payload types a new section of kind offers, in
// codec order, each primary followed by its RTX.
func (b *bindings) formatsFor(kind string, codecs []Codec) []string {
	var out []string
	for _, c := range codecs {
		if c.Kind != kind {
			continue
		}
		bc := b.pts(&c)
		out = append(out, strconv.Itoa(int(bc.pt)))
		if bc.rtx != 0 {
			out = append(out, strconv.Itoa(int(bc.rtx)))
		}
	}
	return out
}
