package srtp

import "encoding/binary"

// gcmRTPNonce sets c.nonce to the SRTP IV of RFC 7714 §8.1:
// (00 00 || SSRC || ROC || SEQ) XOR salt.
func (c *Context) gcmRTPNonce(k *sessionKeys, ssrc uint32, index int64) {
	n := &c.nonce
	n[0], n[1] = 0, 0
	binary.BigEndian.PutUint32(n[2:6], ssrc)
	binary.BigEndian.PutUint32(n[6:10], rocOf(index))
	binary.BigEndian.PutUint16(n[10:12], uint16(index))
	for i := range n {
		n[i] ^= k.salt[i]
	}
}

// gcmRTCPNonce sets c.nonce to the SRTCP IV of RFC 7714 §9.1:
// (00 00 || SSRC || 00 00 || 0 || SRTCP index) XOR salt.
func (c *Context) gcmRTCPNonce(k *sessionKeys, ssrc uint32, index uint32) {
	n := &c.nonce
	n[0], n[1] = 0, 0
	binary.BigEndian.PutUint32(n[2:6], ssrc)
	n[6], n[7] = 0, 0
	binary.BigEndian.PutUint32(n[8:12], index&0x7fffffff)
	for i := range n {
		n[i] ^= k.salt[i]
	}
}

// sealRTPGCM protects out[:n] in place and writes the tag to out[n:n+16]
// (RFC 7714 §7.1): the header, with any RFC 6904 extension elements already
// encrypted, is the associated data and the payload the plaintext; without
// payload encryption the whole packet is associated data (RFC 7714 §16.1.3).
func (c *Context) sealRTPGCM(k *sessionKeys, out []byte, n int, h *rtpHeader, index int64) {
	if k.hdrCM != nil && h.extOff >= 0 {
		c.cryptHeaderExtension(k, out[:n], h, index)
	}
	c.gcmRTPNonce(k, h.ssrc, index)
	if c.encryptSRTP {
		k.gcm.Seal(out[h.length:h.length], c.nonce[:], out[h.length:n], out[:h.length])
	} else {
		k.gcm.Seal(out[n:n], c.nonce[:], nil, out[:n])
	}
}

// openRTPGCM verifies and decrypts pkt (tag at pkt[n:]) in place (RFC 7714
// §7.2), then decrypts RFC 6904 extension elements. On failure the standard
// library clears the would-be plaintext; it is never returned.
func (c *Context) openRTPGCM(k *sessionKeys, pkt []byte, n int, h *rtpHeader, index int64) error {
	c.gcmRTPNonce(k, h.ssrc, index)
	var err error
	if c.encryptSRTP {
		_, err = k.gcm.Open(pkt[h.length:h.length], c.nonce[:], pkt[h.length:], pkt[:h.length])
	} else {
		_, err = k.gcm.Open(pkt[n:n], c.nonce[:], pkt[n:], pkt[:n])
	}
	if err != nil {
		return ErrAuthFailed
	}
	if k.hdrCM != nil && h.extOff >= 0 {
		c.cryptHeaderExtension(k, pkt[:n], h, index)
	}
	return nil
}
