package rtp

// Typed accessors: each looks up the element with the ID the SDP
// negotiated for the extension's URI (a=extmap, RFC 8285 §5) and parses it.
// ok is false when the element is absent or malformed. None allocates, also
// not for an absent or malformed element (browsers stop sending mid and rid
// once acknowledged, so absence is the common case): each checks the value's
// length or syntax before a parser that would build an error.

// AudioLevel returns the ssrc-audio-level element (RFC 6464 §3).
func (h *Header) AudioLevel(id uint8) (a AudioLevel, ok bool) {
	v := h.GetExtension(id)
	return a, len(v) >= 1 && a.Unmarshal(v) == nil
}

// Mid returns the sdes:mid element (RFC 9143 §15), referencing the packet.
func (h *Header) Mid(id uint8) ([]byte, bool) {
	v := h.GetExtension(id)
	if len(v) == 0 || invalidMidByte(v) >= 0 {
		return nil, false
	}
	return v, true
}

// RtpStreamID returns the rtp-stream-id element (RFC 8852 §4.1).
func (h *Header) RtpStreamID(id uint8) ([]byte, bool) { return h.rid(id) }

// RepairedRtpStreamID returns the repaired-rtp-stream-id element
// (RFC 8852 §4.2), carried by RTX packets.
func (h *Header) RepairedRtpStreamID(id uint8) ([]byte, bool) { return h.rid(id) }

// rid returns the element id if it is a valid rid-id (RFC 8852 §3).
func (h *Header) rid(id uint8) ([]byte, bool) {
	v := h.GetExtension(id)
	if len(v) == 0 || invalidRidByte(v) >= 0 {
		return nil, false
	}
	return v, true
}

// AbsSendTime returns the abs-send-time element.
func (h *Header) AbsSendTime(id uint8) (a AbsSendTime, ok bool) {
	v := h.GetExtension(id)
	return a, len(v) >= 3 && a.Unmarshal(v) == nil
}

// TransportCC returns the transport-wide sequence number element
// (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2).
func (h *Header) TransportCC(id uint8) (t TransportCC, ok bool) {
	v := h.GetExtension(id)
	return t, len(v) >= 2 && t.Unmarshal(v) == nil
}

// PlayoutDelay returns the playout-delay element.
func (h *Header) PlayoutDelay(id uint8) (p PlayoutDelay, ok bool) {
	v := h.GetExtension(id)
	return p, len(v) >= 3 && p.Unmarshal(v) == nil
}

// VideoOrientation returns the urn:3gpp:video-orientation element
// (3GPP TS 26.114 §7.4.5).
func (h *Header) VideoOrientation(id uint8) (o VideoOrientation, ok bool) {
	v := h.GetExtension(id)
	return o, len(v) >= 1 && o.Unmarshal(v) == nil
}
