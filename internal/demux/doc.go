// Package demux classifies a UDP datagram received on a WebRTC port by its
// first byte(s), as RFC 7983 §7 specifies and RFC 9443 §3 updates:
//
//	[0..3]     STUN          RFC 8489 (RFC 7983 §7)
//	[16..19]   ZRTP          RFC 6189 (RFC 7983 §7)
//	[20..63]   DTLS          RFC 6347 (RFC 7983 §7)
//	[64..79]   TURN channel  RFC 8656 §12 (RFC 7983 §7; channels 0x4000-0x4FFF)
//	[80..127]  QUIC          RFC 9000 §17.3 short header, 01xxxxxx less TURN's 64..79 (RFC 9443 §3)
//	[128..191] RTP or RTCP   RFC 3550, told apart per RFC 5761 §4
//	[192..255] QUIC          RFC 9000 §17.2 long header, 11xxxxxx (RFC 9443 §3)
//
// Anything else (4..15, or a datagram too short to decide) is Unknown.
//
// RTP versus RTCP (RFC 5761 §4): RTCP packet types 192..223 sit where an RTP
// header has the marker bit and payload types 64..95, so a datagram whose
// second byte, marker bit masked off, is 64..95 is RTCP. Every RTCP packet
// has its second byte in 192..223; the masked test also sends RTP payload
// types 64..95 without the marker (forbidden by RFC 5761 §4 when RTP and RTCP
// share a port) to the RTCP parser, which rejects them, as libwebrtc does.
//
// Classify allocates nothing: the SFU calls it for every datagram.
package demux
