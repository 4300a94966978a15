package rtp

// Header extension URIs as signalled in a=extmap (RFC 8285 §5), for the
// extensions this package has typed accessors for.
const (
	URIAudioLevel          = "urn:ietf:params:rtp-hdrext:ssrc-audio-level"                               // RFC 6464
	URIMid                 = "urn:ietf:params:rtp-hdrext:sdes:mid"                                       // RFC 9143 §15
	URIRtpStreamID         = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"                             // RFC 8852 §4.1
	URIRepairedRtpStreamID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"                    // RFC 8852 §4.2
	URIAbsSendTime         = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"                // webrtc.org
	URITransportCC         = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01" // draft-holmer-rmcat-transport-wide-cc-extensions-01
	URIPlayoutDelay        = "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay"                // webrtc.org
	URIVideoOrientation    = "urn:3gpp:video-orientation"                                                // 3GPP TS 26.114 §7.4.5
)
