package rtp

import (
	"errors"
	"testing"
)

func TestHeaderLength(t *testing.T) {
	fixed := func(b0 byte, extra ...byte) []byte {
		return append([]byte{b0, 96, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3}, extra...)
	}
	four := []byte{1, 2, 3, 4}
	cases := []struct {
		name   string
		b      []byte
		n, ext int
		err    error
	}{
		{"short", fixed(0x80)[:11], 0, -1, ErrHeaderShort},
		{"version 1", fixed(0x40), 0, -1, ErrVersion},
		{"plain", fixed(0x80), 12, -1, nil},
		{"CC 1", fixed(0x81, four...), 16, -1, nil},
		{"CC 2 past end", fixed(0x82, four...), 0, -1, ErrCSRCOverrun},
		{"CC 15 past end", fixed(0x8f), 0, -1, ErrCSRCOverrun},
		{"X without extension header", fixed(0x90, 0xbe, 0xde, 0), 0, -1, ErrExtensionOverrun},
		{"X, length 0", fixed(0x90, 0xbe, 0xde, 0, 0), 16, 12, nil},
		{"X, length 1", fixed(0x90, 0xbe, 0xde, 0, 1, 0x10, 7, 0, 0), 20, 12, nil},
		{"X, length 2 past end", fixed(0x90, 0xbe, 0xde, 0, 2, 0x10, 7, 0, 0), 0, -1, ErrExtensionOverrun},
		{"CC 1 and X", fixed(0x91, append(four, 0x12, 0x34, 0, 1, 9, 9, 9, 9)...), 24, 16, nil},
		{"X, length 0xffff past end", fixed(0x90, 0x10, 0x00, 0xff, 0xff), 0, -1, ErrExtensionOverrun},
	}
	for _, c := range cases {
		n, ext, err := HeaderLength(c.b)
		if n != c.n || ext != c.ext || err != c.err {
			t.Errorf("%s: HeaderLength = %d, %d, %v; want %d, %d, %v", c.name, n, ext, err, c.n, c.ext, c.err)
		}
		var h Header
		un, uerr := h.Unmarshal(c.b)
		if !errors.Is(uerr, c.err) || (c.err == nil && un != c.n) {
			t.Errorf("%s: Header.Unmarshal = %d, %v; want %d, %v", c.name, un, uerr, c.n, c.err)
		}
	}
	// Refusing a packet allocates nothing.
	bad := fixed(0x91)
	if a := testing.AllocsPerRun(100, func() { HeaderLength(bad) }); a != 0 {
		t.Errorf("HeaderLength allocates %v times on a malformed header", a)
	}
}
