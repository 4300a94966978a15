package srtp

import (
	"crypto/subtle"
	"encoding/binary"
)

// EncryptRTP protects the RTP packet pkt (RFC 3711 §3.3; RFC 7714 §7.1) and
// returns the SRTP packet: pkt with its payload (and the RFC 6904 extension
// elements negotiated as encrypted) encrypted and the tag appended. The
// result is written to dst[:0]'s backing array when it has room, else a new
// one; pass dst = pkt[:0] with cap(pkt) >= len(pkt)+Profile().RTPOverhead()
// to protect in place without copying or allocating. dst must either start
// where pkt starts or not overlap it.
func (c *Context) EncryptRTP(dst, pkt []byte) ([]byte, error) {
	h := &c.hdr
	if err := parseRTPHeader(pkt, h); err != nil {
		return nil, err
	}
	n := len(pkt)
	out := grow(dst, n+c.profile.RTPTagLen())
	if &out[0] != &pkt[0] {
		copy(out, pkt)
	}
	st := c.rtpStream(h.ssrc)
	var index int64
	if !st.started {
		index = st.highest&^0xffff | int64(h.seq)
		st.started = true
		st.highest = index
	} else {
		// The sender tracks its own ROC the same way (RFC 3711 §3.3.1).
		index = estimateIndex(st.highest, h.seq)
		if index > st.highest {
			st.highest = index
		}
	}
	k := c.rtpKeys(st, index)
	st.keys = k
	if c.profile.IsAEAD() {
		c.sealRTPGCM(k, out, n, h, index)
		return out, nil
	}
	b := out[:n]
	if k.hdrCM != nil && h.extOff >= 0 {
		c.cryptHeaderExtension(k, b, h, index)
	}
	if c.encryptSRTP {
		c.cmIV(&k.salt, h.ssrc, index)
		k.cm.xorKeyStream(b[h.length:], &c.iv)
	}
	c.rtpTag(k, b, rocOf(index))
	copy(out[n:], c.mac[:])
	return out, nil
}

// DecryptRTP unprotects the SRTP packet pkt in place and returns the RTP
// packet, pkt[:len(pkt)-tag] (RFC 3711 §3.3; RFC 7714 §7.2). The packet index
// is estimated from the sequence number (RFC 3711 §3.3.1, Appendix A) and
// checked against the replay window; the tag is verified in constant time
// before anything is decrypted (for GCM, by the standard library's Open,
// which wipes the payload bytes if the tag fails); the rollover counter and
// the window move only after the packet authenticates. On error the packet
// is refused and the context is unchanged.
func (c *Context) DecryptRTP(pkt []byte) ([]byte, error) {
	tagLen := c.profile.RTPTagLen()
	if len(pkt) < 12+tagLen {
		return nil, ErrShortRTP
	}
	n := len(pkt) - tagLen
	h := &c.hdr
	if err := parseRTPHeader(pkt[:n], h); err != nil {
		return nil, err
	}
	st := c.rtpStreams[h.ssrc]
	var index int64
	if st == nil || !st.started {
		if st != nil {
			index = st.highest &^ 0xffff // ROC set by SetROC
		}
		index |= int64(h.seq)
	} else {
		index = estimateIndex(st.highest, h.seq)
		if err := st.window.check(st.highest, index); err != nil {
			return nil, err
		}
	}
	k := c.rtpKeys(st, index)
	if c.profile.IsAEAD() {
		if err := c.openRTPGCM(k, pkt, n, h, index); err != nil {
			return nil, err
		}
	} else {
		b := pkt[:n]
		c.rtpTag(k, b, rocOf(index))
		if subtle.ConstantTimeCompare(c.mac[:tagLen], pkt[n:]) != 1 {
			return nil, ErrAuthFailed
		}
		if k.hdrCM != nil && h.extOff >= 0 {
			c.cryptHeaderExtension(k, b, h, index)
		}
		if c.encryptSRTP {
			c.cmIV(&k.salt, h.ssrc, index)
			k.cm.xorKeyStream(b[h.length:], &c.iv)
		}
	}
	if st == nil {
		st = c.rtpStream(h.ssrc)
	}
	st.keys = k
	if !st.started {
		st.started = true
		st.window.reset(&st.highest, index)
	} else {
		st.window.accept(&st.highest, index)
	}
	return pkt[:n], nil
}

// rtpTag computes HMAC-SHA1(k_a, authenticated portion || ROC) into c.mac
// (RFC 3711 §4.2, authentication of M = packet || ROC).
func (c *Context) rtpTag(k *sessionKeys, b []byte, roc uint32) {
	binary.BigEndian.PutUint32(c.word[:], roc)
	k.auth.sum(&c.mac, b, c.word[:])
}

// cmIV sets c.iv to the AES-CM IV of RFC 3711 §4.1.1:
// IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16).
func (c *Context) cmIV(salt *[cmSaltLen]byte, ssrc uint32, index int64) {
	iv := &c.iv
	copy(iv[:cmSaltLen], salt[:])
	iv[14], iv[15] = 0, 0
	iv[4] ^= byte(ssrc >> 24)
	iv[5] ^= byte(ssrc >> 16)
	iv[6] ^= byte(ssrc >> 8)
	iv[7] ^= byte(ssrc)
	i := uint64(index) & (1<<48 - 1)
	iv[8] ^= byte(i >> 40)
	iv[9] ^= byte(i >> 32)
	iv[10] ^= byte(i >> 24)
	iv[11] ^= byte(i >> 16)
	iv[12] ^= byte(i >> 8)
	iv[13] ^= byte(i)
}

// grow returns dst[:n] if it has the capacity, else a new slice of length n.
func grow(dst []byte, n int) []byte {
	if cap(dst) >= n {
		return dst[:n]
	}
	return make([]byte, n)
}
