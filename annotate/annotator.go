package annotate

import (
	"net/netip"
	"time"

	"github.com/plainrtc/plainrtc/internal/demux"
)

// Direction says who sent a datagram: the participant (a browser, in
// rtcdump's words) or the server. rtcdump prints it as the row's "dir".
type Direction uint8

// Directions.
const (
	DirUnknown  Direction = iota // the capture does not show who is who
	FromBrowser                  // participant → server: "browser>server"
	ToBrowser                    // server → participant: "server>browser"
)

func (d Direction) String() string {
	switch d {
	case FromBrowser:
		return "browser>server"
	case ToBrowser:
		return "server>browser"
	}
	return ""
}

// Datagram is one UDP datagram to explain and what its caller knows of it.
type Datagram struct {
	N        int       // frame number (rtcdump) or a running count (live)
	Time     time.Time // zero: not shown
	Src, Dst netip.AddrPort
	Dir      Direction
	// FromDTLSClient says which SRTP keys protect the datagram: the DTLS
	// client's (RFC 5764 §4.2 client_write_SRTP_master_key) or the server's.
	FromDTLSClient bool
	Payload        []byte // not kept: the Record holds copies of what it shows
}

// Config is what an Annotator knows of the session from the start; all of
// it may also be set later (SetSDP, SetProfile, SetKeys).
type Config struct {
	// SDP gives ICE passwords (STUN integrity), codec names and header
	// extension URIs. nil: integrity "unknown", codecs and extensions unnamed.
	SDP *SDPInfo
	// Profile is the use_srtp profile of the ServerHello (RFC 5764 §4.1.2):
	// it locates the SRTCP trailer. 0: unknown.
	Profile uint16
	// Keys, when set, decrypt and authenticate SRTP and SRTCP.
	Keys *Keys
}

// Annotator explains the datagrams of one session, in order: it keeps what
// a session's later packets need from earlier ones (a STUN request's
// password for its response, SRTP rollover counters and replay windows).
// It is not safe for concurrent use; a live caller serializes (one
// goroutine, or a lock). Nothing in it refers to the caller's buffers after
// Annotate returns.
type Annotator struct {
	sdp     *SDPInfo
	profile uint16
	stun    stunState
	srtp    *srtpState // nil without keys
}

// New returns an Annotator for one session.
func New(cfg Config) (*Annotator, error) {
	a := &Annotator{sdp: cfg.SDP, profile: cfg.Profile, stun: newSTUNState(cfg.SDP)}
	if cfg.Keys != nil {
		if err := a.SetKeys(*cfg.Keys); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// SetSDP replaces the SDP information (after a renegotiation: pass the new
// offer and answer). STUN requests already seen keep their passwords.
func (a *Annotator) SetSDP(info *SDPInfo) {
	a.sdp = info
	a.stun.sdp = info
}

// SetProfile records the negotiated SRTP profile (RFC 5764 §4.1.2).
func (a *Annotator) SetProfile(p uint16) { a.profile = p }

// SetKeys installs the session's SRTP master keys (and their profile,
// which becomes the SRTCP trailer's too); from now on SRTP and SRTCP are
// authenticated and decrypted with contexts of the Annotator's own.
func (a *Annotator) SetKeys(k Keys) error {
	st, err := newSRTPState(k)
	if err != nil {
		return err
	}
	a.srtp = st
	a.profile = k.Profile
	return nil
}

// Annotate classifies a datagram (RFC 7983) and decodes it by class. What
// cannot be decoded is in the Record's Error; it never panics.
func (a *Annotator) Annotate(dg Datagram) *Record {
	c := demux.Classify(dg.Payload)
	r := &Record{
		N: dg.N, Src: dg.Src.String(), Dst: dg.Dst.String(), Dir: dg.Dir.String(),
		Len: len(dg.Payload), Class: c.String(),
	}
	if !dg.Time.IsZero() {
		r.Time = dg.Time.Format(time.RFC3339Nano)
	}
	var err error
	switch c {
	case demux.STUN:
		r.STUN, err = a.stun.decode(dg.Payload)
	case demux.DTLS:
		r.DTLS, err = decodeDTLS(dg.Payload)
	case demux.RTP:
		err = a.decodeRTP(r, dg)
	case demux.RTCP:
		err = a.decodeRTCP(r, dg)
	}
	if err != nil {
		r.Error = err.Error()
	}
	return r
}

// decodeRTP fills the clear header, and with keys decrypts and reads the payload.
func (a *Annotator) decodeRTP(r *Record, dg Datagram) error {
	var err error
	if r.RTP, _, err = decodeRTPHeader(dg.Payload, a.sdp); err != nil {
		return err
	}
	if a.srtp != nil {
		return a.srtp.rtp(r, dg)
	}
	return nil
}

// decodeRTCP fills the clear header, and with keys decrypts the compound.
func (a *Annotator) decodeRTCP(r *Record, dg Datagram) error {
	var err error
	if r.RTCP, err = decodeRTCPHeader(dg.Payload, a.profile); err != nil {
		return err
	}
	if a.srtp != nil {
		return a.srtp.rtcp(r, dg)
	}
	return nil
}
