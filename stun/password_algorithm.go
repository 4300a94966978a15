package stun

import (
	"encoding/binary"
	"strconv"
)

// PasswordAlgorithm identifies the hash used to derive a long-term key,
// RFC 8489 §18.5.
type PasswordAlgorithm uint16

// Password algorithms, RFC 8489 §18.5.
const (
	PasswordAlgorithmMD5    PasswordAlgorithm = 0x0001
	PasswordAlgorithmSHA256 PasswordAlgorithm = 0x0002
)

// String names the algorithm as RFC 8489 §18.5 does.
func (a PasswordAlgorithm) String() string {
	switch a {
	case PasswordAlgorithmMD5:
		return "MD5"
	case PasswordAlgorithmSHA256:
		return "SHA-256"
	}
	return "algorithm 0x" + strconv.FormatUint(uint64(a), 16)
}

// PasswordAlgorithmParams is one algorithm entry: the algorithm and its
// parameters (empty for MD5 and SHA-256), RFC 8489 §14.11, §14.12.
type PasswordAlgorithmParams struct {
	Algorithm PasswordAlgorithm
	Params    []byte
}

// decodePasswordAlgorithm splits one entry (algorithm, parameter length,
// parameters padded to 32 bits) off v.
func decodePasswordAlgorithm(t AttrType, v []byte, ref string) (PasswordAlgorithmParams, []byte, error) {
	if len(v) < 4 {
		return PasswordAlgorithmParams{}, nil, attrLengthError(t, len(v), "at least 4 per algorithm", ref)
	}
	alg := PasswordAlgorithm(binary.BigEndian.Uint16(v[0:2]))
	n := int(binary.BigEndian.Uint16(v[2:4]))
	padded := (n + 3) &^ 3
	if 4+padded > len(v) {
		// The last entry may end without its padding when it ends the value.
		if 4+n != len(v) {
			return PasswordAlgorithmParams{}, nil, attrLengthError(t, len(v), "room for parameters of length "+strconv.Itoa(n), ref)
		}
		padded = n
	}
	return PasswordAlgorithmParams{Algorithm: alg, Params: v[4 : 4+n]}, v[4+padded:], nil
}

// PasswordAlgorithm returns PASSWORD-ALGORITHM, RFC 8489 §14.12.
func (m *Message) PasswordAlgorithm() (PasswordAlgorithmParams, error) {
	v, err := m.value(AttrPasswordAlgorithm)
	if err != nil {
		return PasswordAlgorithmParams{}, err
	}
	p, rest, err := decodePasswordAlgorithm(AttrPasswordAlgorithm, v, "RFC 8489 §14.12")
	if err == nil && len(rest) != 0 {
		err = attrLengthError(AttrPasswordAlgorithm, len(v), strconv.Itoa(len(v)-len(rest)), "RFC 8489 §14.12")
	}
	return p, err
}

// PasswordAlgorithms appends to dst the entries of PASSWORD-ALGORITHMS,
// RFC 8489 §14.11.
func (m *Message) PasswordAlgorithms(dst []PasswordAlgorithmParams) ([]PasswordAlgorithmParams, error) {
	v, err := m.value(AttrPasswordAlgorithms)
	if err != nil {
		return dst, err
	}
	for len(v) > 0 {
		var p PasswordAlgorithmParams
		p, v, err = decodePasswordAlgorithm(AttrPasswordAlgorithms, v, "RFC 8489 §14.11")
		if err != nil {
			return dst, err
		}
		dst = append(dst, p)
	}
	return dst, nil
}

func appendPasswordAlgorithm(dst []byte, p PasswordAlgorithmParams) []byte {
	dst = binary.BigEndian.AppendUint16(dst, uint16(p.Algorithm))
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(p.Params)))
	dst = append(dst, p.Params...)
	for n := len(p.Params); n%4 != 0; n++ {
		dst = append(dst, 0)
	}
	return dst
}

func passwordAlgorithmSize(p PasswordAlgorithmParams) int { return 4 + (len(p.Params)+3)&^3 }

// AddPasswordAlgorithm appends PASSWORD-ALGORITHM, RFC 8489 §14.12.
func (b *Builder) AddPasswordAlgorithm(p PasswordAlgorithmParams) {
	s := b.begin(AttrPasswordAlgorithm, passwordAlgorithmSize(p))
	b.buf = appendPasswordAlgorithm(b.buf, p)
	b.finish(s)
}

// AddPasswordAlgorithms appends PASSWORD-ALGORITHMS listing ps,
// RFC 8489 §14.11.
func (b *Builder) AddPasswordAlgorithms(ps []PasswordAlgorithmParams) {
	n := 0
	for _, p := range ps {
		n += passwordAlgorithmSize(p)
	}
	s := b.begin(AttrPasswordAlgorithms, n)
	for _, p := range ps {
		b.buf = appendPasswordAlgorithm(b.buf, p)
	}
	b.finish(s)
}
