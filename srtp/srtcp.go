package srtp

import (
	"crypto/subtle"
	"encoding/binary"
)

// srtcpEncrypted is the E flag in the SRTCP trailer word (RFC 3711 §3.4).
const srtcpEncrypted = 1 << 31

// EncryptRTCP protects the RTCP (compound) packet pkt (RFC 3711 §3.4; RFC
// 7714 §9) and returns the SRTCP packet. For AES-CM the layout is
// packet || E+index || tag; for GCM it is packet || tag || E+index (RFC 7714
// §9.2). The SRTCP index counts per SSRC (the sender SSRC in bytes 4–8) from
// 1, or from SetSRTCPIndex. dst works as for EncryptRTP.
func (c *Context) EncryptRTCP(dst, pkt []byte) ([]byte, error) {
	if len(pkt) < 8 {
		return nil, ErrShortRTCP
	}
	ssrc := binary.BigEndian.Uint32(pkt[4:8])
	st := c.rtcpStream(ssrc)
	index := st.next
	if index > 0x7fffffff {
		return nil, ErrIndexExhaust
	}
	n := len(pkt)
	out := grow(dst, n+c.profile.RTCPOverhead())
	if &out[0] != &pkt[0] {
		copy(out, pkt)
	}
	st.next++
	trailer := index
	if c.encryptSRTCP {
		trailer |= srtcpEncrypted
	}
	k := c.rtcpKeys(st, index)
	st.keys = k
	if c.profile.IsAEAD() {
		c.sealRTCPGCM(k, out, n, ssrc, index, trailer)
		return out, nil
	}
	if c.encryptSRTCP {
		c.cmIV(&k.salt, ssrc, int64(index))
		k.cm.xorKeyStream(out[8:n], &c.iv)
	}
	binary.BigEndian.PutUint32(out[n:n+4], trailer)
	c.rtcpTag(k, out[:n+4])
	copy(out[n+4:], c.mac[:])
	return out, nil
}

// DecryptRTCP unprotects the SRTCP packet pkt in place and returns the RTCP
// packet (RFC 3711 §3.4; RFC 7714 §9). The E flag of the packet itself says
// whether it is encrypted. The index is checked against the replay window
// and the tag verified in constant time before anything is decrypted; the
// window moves only after the packet authenticates.
func (c *Context) DecryptRTCP(pkt []byte) ([]byte, error) {
	tagLen := c.profile.RTCPTagLen()
	if len(pkt) < 8+srtcpTrailer+tagLen {
		return nil, ErrShortRTCP
	}
	ssrc := binary.BigEndian.Uint32(pkt[4:8])
	var trailer uint32
	if c.profile.IsAEAD() {
		trailer = binary.BigEndian.Uint32(pkt[len(pkt)-4:])
	} else {
		trailer = binary.BigEndian.Uint32(pkt[len(pkt)-tagLen-4:])
	}
	index := trailer &^ srtcpEncrypted
	encrypted := trailer&srtcpEncrypted != 0
	st := c.rtcpStreams[ssrc]
	if st != nil && st.started {
		if err := st.window.check(st.highest, int64(index)); err != nil {
			return nil, err
		}
	}
	k := c.rtcpKeys(st, index)
	var clear []byte
	if c.profile.IsAEAD() {
		var err error
		if clear, err = c.openRTCPGCM(k, pkt, ssrc, index, encrypted); err != nil {
			return nil, err
		}
	} else {
		n := len(pkt) - tagLen // authenticated portion ends after the trailer
		c.rtcpTag(k, pkt[:n])
		if subtle.ConstantTimeCompare(c.mac[:tagLen], pkt[n:]) != 1 {
			return nil, ErrAuthFailed
		}
		if encrypted {
			c.cmIV(&k.salt, ssrc, int64(index))
			k.cm.xorKeyStream(pkt[8:n-4], &c.iv)
		}
		clear = pkt[:n-4]
	}
	if st == nil {
		st = c.rtcpStream(ssrc)
	}
	st.keys = k
	if !st.started {
		st.started = true
		st.window.reset(&st.highest, int64(index))
	} else {
		st.window.accept(&st.highest, int64(index))
	}
	return clear, nil
}

// rtcpTag computes HMAC-SHA1(k_a, RTCP || E+index) into c.mac (RFC 3711
// §3.4: the authenticated portion includes the SRTCP index word).
func (c *Context) rtcpTag(k *sessionKeys, b []byte) {
	k.auth.sum(&c.mac, b, nil)
}

// sealRTCPGCM protects out[:n] (RFC 7714 §9.2, §9.3). Encrypted: the
// associated data is the 8-byte header and SSRC followed by the E+index word,
// and the rest is plaintext. Not encrypted: the whole packet followed by the
// E+index word is associated data.
func (c *Context) sealRTCPGCM(k *sessionKeys, out []byte, n int, ssrc, index, trailer uint32) {
	c.gcmRTCPNonce(k, ssrc, index)
	if trailer&srtcpEncrypted != 0 {
		copy(c.aad[:8], out[:8])
		binary.BigEndian.PutUint32(c.aad[8:], trailer)
		k.gcm.Seal(out[8:8], c.nonce[:], out[8:n], c.aad[:])
	} else {
		binary.BigEndian.PutUint32(out[n:n+4], trailer)
		k.gcm.Seal(out[n+4:n+4], c.nonce[:], nil, out[:n+4])
		copy(out[n:n+gcmTagLen], out[n+4:n+4+gcmTagLen])
	}
	binary.BigEndian.PutUint32(out[n+gcmTagLen:], trailer)
}

// openRTCPGCM verifies and, if the E flag is set, decrypts pkt in place
// (RFC 7714 §9.2, §9.3) and returns the RTCP packet.
func (c *Context) openRTCPGCM(k *sessionKeys, pkt []byte, ssrc, index uint32, encrypted bool) ([]byte, error) {
	end := len(pkt) - srtcpTrailer // ciphertext || tag ends here
	n := end - gcmTagLen           // RTCP packet length
	c.gcmRTCPNonce(k, ssrc, index)
	if encrypted {
		copy(c.aad[:8], pkt[:8])
		copy(c.aad[8:], pkt[end:])
		if _, err := k.gcm.Open(pkt[8:8], c.nonce[:], pkt[8:end], c.aad[:]); err != nil {
			return nil, ErrAuthFailed
		}
		return pkt[:n], nil
	}
	// The associated data is packet || E+index, contiguous only once the
	// trailer sits where the tag is: move the tag aside, and back on failure.
	tag, trailer := c.tag[:], c.word[:]
	copy(tag, pkt[n:end])
	copy(trailer, pkt[end:])
	copy(pkt[n:n+srtcpTrailer], trailer)
	if _, err := k.gcm.Open(tag[:0], c.nonce[:], tag, pkt[:n+srtcpTrailer]); err != nil {
		copy(pkt[n:end], tag)
		return nil, ErrAuthFailed
	}
	copy(pkt[n:end], tag)
	return pkt[:n], nil
}
