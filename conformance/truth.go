package conformance

import "strconv"

// Truth is a corpus folder's truth.json: counts computed by independent
// tools (tshark for framing, pion for decoding), which the project's own
// decoders must reproduce.
type Truth struct {
	Counts         TruthCounts    `json:"counts"`
	DTLSClientPort string         `json:"dtls_client_port"` // decimal UDP port of the DTLS client
	RTCPTypes      map[string]int `json:"rtcp_types"`       // pion type name ("*rtcp.SenderReport") → packets
	RTPStreams     map[string]int `json:"rtp_streams"`      // "<ssrc>/pt<pt>" → packets that authenticate
	SRTPProfile    string         `json:"srtp_profile"`     // e.g. "SRTP_AES128_CM_HMAC_SHA1_80"
	STUNTypes      map[string]int `json:"stun_types"`       // "Binding request" → messages
}

// TruthCounts is truth.json's "counts" object. Datagram classes follow the
// RFC 7983 first-byte demultiplexing.
type TruthCounts struct {
	Datagrams         int `json:"datagrams"`           // UDP datagrams in the capture
	STUN              int `json:"stun"`                // datagrams classed STUN
	STUNIntegrityOK   int `json:"stun_integrity_ok"`   // of which MESSAGE-INTEGRITY verifies
	STUNFingerprintOK int `json:"stun_fingerprint_ok"` // of which FINGERPRINT verifies
	DTLS              int `json:"dtls"`                // datagrams classed DTLS
	SRTP              int `json:"srtp"`                // datagrams classed RTP
	SRTPOK            int `json:"srtp_ok"`             // of which the SRTP auth tag verifies
	SRTCP             int `json:"srtcp"`               // datagrams classed RTCP
	SRTCPOK           int `json:"srtcp_ok"`            // of which the SRTCP auth tag verifies
}

// DTLSClientPortNumber is DTLSClientPort as a number (0 if absent or invalid).
func (t Truth) DTLSClientPortNumber() uint16 {
	p, err := strconv.ParseUint(t.DTLSClientPort, 10, 16)
	if err != nil {
		return 0
	}
	return uint16(p)
}
