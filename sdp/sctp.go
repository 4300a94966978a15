package sdp

import "strconv"

// SCTPPort returns a=sctp-port (RFC 8841 §5.1), the SCTP port of a
// UDP/DTLS/SCTP m= section.
func (m *Media) SCTPPort() (int, bool) {
	v, ok := m.Attribute("sctp-port")
	if !ok {
		return 0, false
	}
	return parsePort(v)
}

// MaxMessageSize returns a=max-message-size (RFC 8841 §6.1). When absent,
// RFC 8841 §6.1 says the default is 64 KiB; ok reports presence. A size
// of 0 means the peer takes messages of any size (§6.1), not zero bytes.
func (m *Media) MaxMessageSize() (size uint64, ok bool) {
	v, ok := m.Attribute("max-message-size")
	if !ok {
		return 65536, false
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 65536, false
	}
	return n, true
}

// RTCPMux reports a=rtcp-mux (RFC 5761 §5.1.1).
func (m *Media) RTCPMux() bool { return m.HasAttribute("rtcp-mux") }

// RTCPMuxOnly reports a=rtcp-mux-only (RFC 8858 §3).
func (m *Media) RTCPMuxOnly() bool { return m.HasAttribute("rtcp-mux-only") }

// RTCPRsize reports a=rtcp-rsize (RFC 5506 §5).
func (m *Media) RTCPRsize() bool { return m.HasAttribute("rtcp-rsize") }

// BundleOnly reports a=bundle-only (RFC 9143 §6).
func (m *Media) BundleOnly() bool { return m.HasAttribute("bundle-only") }
