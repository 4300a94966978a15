package sfu

import (
	"time"
)

// peer is the media state of one participant's WebRTC session (a WHIP
// publisher or a WHEP subscriber) inside its room. Like str0m's Rtc it does
// no I/O of its own: the room feeds it decrypted packets and time, and what
// it wants sent becomes the room's transmits. Only its room touches it.
type peer struct {
	id      string
	kind    string // KindWHIP, KindWHEP or KindParticipant
	name    string // display name (RFC-free: the room's roster)
	cname   []byte // SDES CNAME (RFC 7022), kept as bytes for allocation-free reports
	ssrc    uint32 // our RTCP sender SSRC towards this peer (RR, PLI)
	rsize   bool   // a=rtcp-rsize negotiated (RFC 5506)
	created time.Time

	// Publisher side.
	tracks   []*track
	bySSRC   map[uint32]*track
	byMid    map[string]*track
	midExtID uint8 // the publisher's ID of the MID extension, 0 if none

	// Subscriber side.
	downs      []*downTrack
	downBySSRC map[uint32]*downTrack

	nextReport time.Time
	ready      bool // transport secured (setReady): media and reports may go to it
	closed     bool
	stats      peerStats

	// Participants (KindParticipant) only: the negotiation the room
	// drives over the signaling channel, whether that channel is open,
	// and what the participant told the room.
	neg         *negotiation
	signalReady bool
	leftReason  string // the class of why it left, for the room's "left" message
	audioMuted  bool
	videoMuted  bool

	// sender and signaler are the driver's: the room passes them along in
	// its outputs and never touches them.
	sender   *sender
	signaler *signalWriter
}

// peerStats count what happened to a peer's packets; every drop has a
// counter (a silent drop is a bug we cannot see).
type peerStats struct {
	rtpIn, rtcpIn, rtpOut, rtcpOut uint64
	rtpUnknownSSRC                 uint64 // no track for the SSRC, no MID to learn it
	rtpRTX                         uint64 // retransmissions from the publisher, not forwarded
	rtpBad                         uint64 // unparsable after decryption
	rtpFromSubscriber              uint64 // a WHEP peer sent media
	rtcpBad                        uint64
	rtcpUnknownSSRC                uint64
	pliIn, firIn, nackIn           uint64
	offers, signalErrors           uint64 // renegotiations offered; signaling messages refused
}
