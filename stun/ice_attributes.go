package stun

import "encoding/binary"

// Priority returns PRIORITY (32-bit candidate priority), RFC 8445 §16.1,
// §7.1.1.
func (m *Message) Priority() (uint32, error) {
	v, err := m.value(AttrPriority)
	if err != nil {
		return 0, err
	}
	if len(v) != 4 {
		return 0, attrLengthError(AttrPriority, len(v), "4", "RFC 8445 §16.1")
	}
	return binary.BigEndian.Uint32(v), nil
}

// UseCandidate reports whether USE-CANDIDATE is present (it has no value),
// RFC 8445 §16.1, §7.1.2.
func (m *Message) UseCandidate() bool { return m.Contains(AttrUseCandidate) }

// ICEControlled returns the tie-breaker of ICE-CONTROLLED, RFC 8445 §16.1.
func (m *Message) ICEControlled() (uint64, error) { return m.tieBreaker(AttrICEControlled) }

// ICEControlling returns the tie-breaker of ICE-CONTROLLING, RFC 8445 §16.1.
func (m *Message) ICEControlling() (uint64, error) { return m.tieBreaker(AttrICEControlling) }

func (m *Message) tieBreaker(t AttrType) (uint64, error) {
	v, err := m.value(t)
	if err != nil {
		return 0, err
	}
	if len(v) != 8 {
		return 0, attrLengthError(t, len(v), "8", "RFC 8445 §16.1")
	}
	return binary.BigEndian.Uint64(v), nil
}

// AddPriority appends PRIORITY, RFC 8445 §16.1.
func (b *Builder) AddPriority(p uint32) {
	s := b.begin(AttrPriority, 4)
	b.buf = binary.BigEndian.AppendUint32(b.buf, p)
	b.finish(s)
}

// AddUseCandidate appends the empty USE-CANDIDATE, RFC 8445 §16.1.
func (b *Builder) AddUseCandidate() { b.finish(b.begin(AttrUseCandidate, 0)) }

// AddICEControlled appends ICE-CONTROLLED with tie-breaker tb, RFC 8445 §16.1.
func (b *Builder) AddICEControlled(tb uint64) { b.addUint64(AttrICEControlled, tb) }

// AddICEControlling appends ICE-CONTROLLING with tie-breaker tb, RFC 8445 §16.1.
func (b *Builder) AddICEControlling(tb uint64) { b.addUint64(AttrICEControlling, tb) }

func (b *Builder) addUint64(t AttrType, v uint64) {
	s := b.begin(t, 8)
	b.buf = binary.BigEndian.AppendUint64(b.buf, v)
	b.finish(s)
}
