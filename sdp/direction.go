package sdp

// Direction is a media direction attribute (RFC 8866 §6.7; RFC 3264 §5.1).
type Direction string

// The four direction attributes.
const (
	SendRecv Direction = "sendrecv"
	SendOnly Direction = "sendonly"
	RecvOnly Direction = "recvonly"
	Inactive Direction = "inactive"
)

// Valid reports whether d is one of the four direction attributes.
func (d Direction) Valid() bool {
	switch d {
	case SendRecv, SendOnly, RecvOnly, Inactive:
		return true
	}
	return false
}

// Sends reports whether the side that wrote d sends media.
func (d Direction) Sends() bool { return d == SendRecv || d == SendOnly }

// Receives reports whether the side that wrote d receives media.
func (d Direction) Receives() bool { return d == SendRecv || d == RecvOnly }

// makeDirection builds a direction from send and receive flags.
func makeDirection(send, recv bool) Direction {
	switch {
	case send && recv:
		return SendRecv
	case send:
		return SendOnly
	case recv:
		return RecvOnly
	}
	return Inactive
}

// Reverse returns the direction seen from the other side
// (sendonly <-> recvonly).
func (d Direction) Reverse() Direction { return makeDirection(d.Receives(), d.Sends()) }

// Direction returns m's direction: its own direction attribute, else the
// session-level one, else sendrecv (RFC 8866 §6.7: "sendrecv ... is the
// default").
func (s *Session) Direction(m *Media) Direction {
	for _, l := range m.Lines {
		if l.Type == 'a' && Direction(l.Value).Valid() {
			return Direction(l.Value)
		}
	}
	for _, l := range s.SessionLines() {
		if l.Type == 'a' && Direction(l.Value).Valid() {
			return Direction(l.Value)
		}
	}
	return SendRecv
}
