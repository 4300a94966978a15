package datachannel

import (
	"errors"
	"fmt"
)

// Role is the DTLS role of the local endpoint, which decides the parity of
// the stream identifiers it may pick (RFC 8832 §6).
type Role uint8

const (
	// RoleClient is the DTLS client: it uses even stream identifiers.
	RoleClient Role = iota
	// RoleServer is the DTLS server: it uses odd stream identifiers.
	RoleServer
)

func (r Role) String() string {
	if r == RoleClient {
		return "dtls-client"
	}
	return "dtls-server"
}

// MaxStreamID is the highest usable stream identifier: RFC 8831 §6.2 limits
// data channels to 65535 streams, ids 0..65534 (65535 is not a valid id).
const MaxStreamID = 65534

// ErrNoStreamID is returned when every id of the local parity is in use.
var ErrNoStreamID = errors.New("datachannel: no free stream identifier of the local parity (RFC 8832 §6)")

// LocalParity reports whether id has the parity the given role must use when
// it opens a channel (RFC 8832 §6: "The DTLS client MUST use streams with
// even stream identifiers, the DTLS server MUST use streams with odd stream
// identifiers").
func LocalParity(role Role, id uint16) bool {
	if role == RoleClient {
		return id%2 == 0
	}
	return id%2 == 1
}

// CheckRemoteOpen validates the stream id of a DATA_CHANNEL_OPEN received
// from the peer whose local role is the opposite of role.
func CheckRemoteOpen(role Role, id uint16) error {
	if id > MaxStreamID {
		return fmt.Errorf("datachannel: stream id %d above %d (RFC 8831 §6.2)", id, MaxStreamID)
	}
	if LocalParity(role, id) {
		return fmt.Errorf("datachannel: peer opened stream id %d with our parity as %s (RFC 8832 §6)", id, role)
	}
	return nil
}

// StreamIDs allocates stream identifiers for channels opened locally. It is
// not safe for concurrent use; the association guards it.
type StreamIDs struct {
	role  Role
	used  map[uint16]struct{}
	next  uint32
	count int
}

// NewStreamIDs returns an allocator for role.
func NewStreamIDs(role Role) *StreamIDs {
	s := &StreamIDs{role: role, used: make(map[uint16]struct{})}
	if role == RoleServer {
		s.next = 1
	}
	return s
}

// Next returns the lowest-after-last free id of the local parity and marks
// it used.
func (s *StreamIDs) Next() (uint16, error) {
	first := uint32(0)
	if s.role == RoleServer {
		first = 1
	}
	total := (MaxStreamID - first) / 2 // ids of this parity: first, first+2, ...
	for tries := uint32(0); tries <= total; tries++ {
		if s.next > MaxStreamID {
			s.next = first
		}
		id := uint16(s.next)
		s.next += 2
		if _, taken := s.used[id]; !taken {
			s.used[id] = struct{}{}
			return id, nil
		}
	}
	return 0, ErrNoStreamID
}

// Reserve marks id used (a negotiated channel or one the peer opened).
// It reports false if id was already in use.
func (s *StreamIDs) Reserve(id uint16) bool {
	if _, taken := s.used[id]; taken {
		return false
	}
	s.used[id] = struct{}{}
	return true
}

// Release frees id after its stream was reset.
func (s *StreamIDs) Release(id uint16) { delete(s.used, id) }
