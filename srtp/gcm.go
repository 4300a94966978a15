package srtp

import "encoding/binary"

// gcmRTPNonce sets c.nonce to the SRTP IV of RFC 7714 §8.1:
// (00 00 || SSRC || ROC || SEQ) XOR salt.
func (c *Context) gcmRTPNonce(ssrc uint32, index int64) {
	n := &c.nonce
	n[0], n[1] = 0, 0
	binary.BigEndian.PutUint32(n[2:6], ssrc)
	binary.BigEndian.PutUint32(n[6:10], rocOf(index))
	binary.BigEndian.PutUint16(n[10:12], uint16(index))
	for i := range n {
		n[i] ^= c.rtp.salt[i]
	}
}

// gcmRTCPNonce sets c.nonce to the SRTCP IV of RFC 7714 §9.1:
// (00 00 || SSRC || 00 00 || 0 || SRTCP index) XOR salt.
func (c *Context) gcmRTCPNonce(ssrc uint32, index uint32) {
	n := &c.nonce
	n[0], n[1] = 0, 0
	binary.BigEndian.PutUint32(n[2:6], ssrc)
	n[6], n[7] = 0, 0
	binary.BigEndian.PutUint32(n[8:12], index&0x7fffffff)
	for i := range n {
		n[i] ^= c.rtcp.salt[i]
	}
}

// sealRTPGCM protects out[:n] in place and writes the tag to out[n:n+16]
// (RFC 7714 §7.1): the header, with any RFC 6904 extension elements already
// encrypted, is the associated data and the payload the plaintext; without
// payload encryption the whole packet is associated data (RFC 7714 §16.1.3).
func (c *Context) sealRTPGCM(out []byte, n int, h *rtpHeader, index int64) {
	if c.hdrCM != nil && h.extOff >= 0 {
		c.cryptHeaderExtension(out[:n], h, index)
	}
	c.gcmRTPNonce(h.ssrc, index)
	if c.encryptSRTP {
		c.rtp.gcm.Seal(out[h.length:h.length], c.nonce[:], out[h.length:n], out[:h.length])
	} else {
		c.rtp.gcm.Seal(out[n:n], c.nonce[:], nil, out[:n])
	}
}

// openRTPGCM verifies and decrypts pkt (tag at pkt[n:]) in place (RFC 7714
// §7.2), then decrypts RFC 6904 extension elements. On failure the standard
// library clears the would-be plaintext; it is never returned.
func (c *Context) openRTPGCM(pkt []byte, n int, h *rtpHeader, index int64) error {
	c.gcmRTPNonce(h.ssrc, index)
	var err error
	if c.encryptSRTP {
		_, err = c.rtp.gcm.Open(pkt[h.length:h.length], c.nonce[:], pkt[h.length:], pkt[:h.length])
	} else {
		_, err = c.rtp.gcm.Open(pkt[n:n], c.nonce[:], pkt[n:], pkt[:n])
	}
	if err != nil {
		return ErrAuthFailed
	}
	if c.hdrCM != nil && h.extOff >= 0 {
		c.cryptHeaderExtension(pkt[:n], h, index)
	}
	return nil
}
