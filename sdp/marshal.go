package sdp

// MarshalSize returns the number of bytes Marshal writes.
func (s *Session) MarshalSize() int {
	n := 0
	for _, l := range s.Lines {
		n += 4 + len(l.Value)
	}
	return n
}

// AppendTo appends the session description to b, every line ending in CRLF
// (RFC 8866 §5), and returns the extended slice.
func (s *Session) AppendTo(b []byte) []byte {
	for _, l := range s.Lines {
		b = append(b, l.Type, '=')
		b = append(b, l.Value...)
		b = append(b, '\r', '\n')
	}
	return b
}

// Marshal returns the session description as bytes.
func (s *Session) Marshal() []byte {
	return s.AppendTo(make([]byte, 0, s.MarshalSize()))
}

// MarshalTo writes the description into b and returns the number of bytes
// written, or ErrShortBuffer when b is smaller than MarshalSize.
func (s *Session) MarshalTo(b []byte) (int, error) {
	if len(b) < s.MarshalSize() {
		return 0, ErrShortBuffer
	}
	return len(s.AppendTo(b[:0])), nil
}

// String returns the session description as text.
func (s *Session) String() string { return string(s.Marshal()) }
