package sfu

import (
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on names, in bytes of UTF-8.
const (
	maxRoomName    = 128
	maxDisplayName = 64
)

// checkName says why s is not a usable room or display name, or nil: any
// UTF-8 up to max bytes without control characters; room names also
// without '/', which would not survive a path segment.
func checkName(what, s string, max int, room bool) error {
	switch {
	case s == "":
		return errors.New(what + " is empty")
	case len(s) > max:
		return errors.New(what + " is longer than the limit of " + strconv.Itoa(max) + " bytes")
	case !utf8.ValidString(s):
		return errors.New(what + " is not valid UTF-8")
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return errors.New(what + " contains a control character")
	case room && strings.Contains(s, "/"):
		return errors.New(what + " contains '/'")
	case strings.TrimSpace(s) == "":
		return errors.New(what + " is only spaces")
	}
	return nil
}

// displayName is the name a join gives, checked; "" when it gives none
// (WHIP and WHEP without ?name=).
func displayName(j joinOptions) (string, error) {
	if j.name == "" {
		if j.kind == KindParticipant {
			return "", &badSDP{"a participant needs a display name"}
		}
		return "", nil
	}
	if err := checkName("display name", j.name, maxDisplayName, false); err != nil {
		return "", &badRequest{err.Error()}
	}
	return strings.TrimSpace(j.name), nil
}

// badRequest is a join the SFU refuses for something other than its SDP.
type badRequest struct{ reason string }

func (e *badRequest) Error() string { return e.reason }

// privateRoomPrefix starts the names of private rooms, which the server
// makes unguessable and never lists.
const privateRoomPrefix = "~"

func isPrivateRoom(name string) bool { return strings.HasPrefix(name, privateRoomPrefix) }
