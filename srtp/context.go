package srtp

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha1"
	"hash"
)

// Context is the SRTP and SRTCP crypto state for one direction of one DTLS
// association: the session keys derived from one master key and salt
// (RFC 3711 §3.2.1, §4.3) and, per SSRC, the rollover counter, the highest
// authenticated index and the replay window (RFC 3711 §3.2.3, §3.3.1,
// §3.3.2). Use one Context to protect what you send (Encrypt*) and another
// to unprotect what you receive (Decrypt*).
//
// A Context is not safe for concurrent use. After an SSRC's first packet
// nothing on the packet path allocates.
type Context struct {
	profile Profile
	rtp     sessionKeys
	rtcp    sessionKeys

	// RFC 6904 header extension encryption.
	hdrCM      *counterMode
	hdrSalt    [cmSaltLen]byte
	encryptIDs [256]bool // extension element IDs negotiated as encrypted

	encryptSRTP  bool // RFC 3711 §3.1: SRTP payload encryption on (default)
	encryptSRTCP bool // RFC 3711 §3.4: SRTCP encryption on, E flag set (default)
	windowSize   int

	rtpStreams  map[uint32]*rtpStream
	rtcpStreams map[uint32]*rtcpStream

	// Scratch owned by the context so the packet path allocates nothing.
	iv    [16]byte
	nonce [12]byte
	word  [4]byte
	mac   [sha1.Size]byte
	hdr   rtpHeader
}

// sessionKeys is one of the two session key sets (SRTP or SRTCP) of
// RFC 3711 §4.3.1, ready to use: AES-CM with HMAC-SHA1, or AES-GCM.
type sessionKeys struct {
	cm   counterMode
	salt [cmSaltLen]byte // k_s (14 bytes for AES-CM; first 12 used for GCM)
	auth hash.Hash       // HMAC-SHA1 keyed with k_a, Reset per packet
	gcm  cipher.AEAD
}

type rtpStream struct {
	started bool
	highest int64 // highest authenticated (or sent) index: ROC || s_l
	window  replayWindow
}

type rtcpStream struct {
	started bool
	highest int64
	next    uint32 // next SRTCP index to send (RFC 3711 §3.4)
	window  replayWindow
}

// Option configures a Context.
type Option func(*Context) error

// WithReplayWindow sets the replay window size in packets (RFC 3711
// §3.3.2). It is rounded up to a power of two, at least 64.
func WithReplayWindow(n int) Option {
	return func(c *Context) error {
		size := 64
		for size < n {
			size <<= 1
		}
		c.windowSize = size
		return nil
	}
}

// WithEncryptedHeaderExtensions turns on RFC 6904 header extension
// encryption for the extension element IDs given: those negotiated with
// a=extmap:<id> urn:ietf:params:rtp-hdrext:encrypt <uri> (RFC 6904 §5.1).
func WithEncryptedHeaderExtensions(ids ...uint8) Option {
	return func(c *Context) error {
		for _, id := range ids {
			c.encryptIDs[id] = true
		}
		return nil
	}
}

// WithUnencryptedSRTP turns SRTP payload encryption off (authentication
// only), a session parameter of RFC 3711 §3.1 / §8.2. For the GCM profiles
// the whole packet becomes associated data (RFC 7714 §16.1.3).
func WithUnencryptedSRTP() Option {
	return func(c *Context) error { c.encryptSRTP = false; return nil }
}

// WithUnencryptedSRTCP sends SRTCP with the E flag clear (RFC 3711 §3.4,
// RFC 7714 §9.3). Received packets are handled by their own E flag.
func WithUnencryptedSRTCP() Option {
	return func(c *Context) error { c.encryptSRTCP = false; return nil }
}

// NewContext derives the session keys for profile from the master key and
// salt (RFC 3711 §4.3 with key derivation rate 0, as DTLS-SRTP requires,
// RFC 5764 §4.1.2) and returns a Context for one direction.
func NewContext(profile Profile, masterKey, masterSalt []byte, opts ...Option) (*Context, error) {
	if !profile.valid() {
		return nil, ErrProfile
	}
	if len(masterKey) != profile.KeyLen() || len(masterSalt) != profile.SaltLen() {
		return nil, ErrKeyLen
	}
	kd, err := newKeyDeriver(masterKey, masterSalt)
	if err != nil {
		return nil, err
	}
	k, s := profile.KeyLen(), profile.SaltLen()
	keys := make([]byte, 2*(k+s+authKeyLen))
	rtpKey, rtcpKey := keys[:k], keys[k:2*k]
	rtpSalt, rtcpSalt := keys[2*k:2*k+s], keys[2*k+s:2*(k+s)]
	rtpAuth, rtcpAuth := keys[2*(k+s):2*(k+s)+authKeyLen], keys[2*(k+s)+authKeyLen:]
	kd.derive(rtpKey, labelSRTPEncryption, 0)
	kd.derive(rtpSalt, labelSRTPSalt, 0)
	kd.derive(rtcpKey, labelSRTCPEncryption, 0)
	kd.derive(rtcpSalt, labelSRTCPSalt, 0)
	if !profile.IsAEAD() { // RFC 7714 §11: GCM has no authentication key
		kd.derive(rtpAuth, labelSRTPAuth, 0)
		kd.derive(rtcpAuth, labelSRTCPAuth, 0)
	}
	c, err := newContext(profile, rtpKey, rtpSalt, rtpAuth, rtcpKey, rtcpSalt, rtcpAuth, opts)
	if err != nil {
		return nil, err
	}
	if c.hdrCM != nil {
		// RFC 6904 §4.1: header encryption key and salt, labels 0x06/0x07.
		hk := make([]byte, k)
		kd.derive(hk, labelSRTPHeaderKey, 0)
		var hs [cmSaltLen]byte
		kd.derive(hs[:s], labelSRTPHeaderSalt, 0)
		if err := c.setHeaderKeys(hk, hs[:]); err != nil {
			return nil, err
		}
	}
	clear(keys)
	return c, nil
}

// newContext builds a Context from session keys (below the KDF), which is
// how RFC 7714's vectors are given. If header extension encryption is on,
// the caller sets its keys with setHeaderKeys.
func newContext(profile Profile, rtpKey, rtpSalt, rtpAuth, rtcpKey, rtcpSalt, rtcpAuth []byte, opts []Option) (*Context, error) {
	c := &Context{
		profile:      profile,
		encryptSRTP:  true,
		encryptSRTCP: true,
		windowSize:   DefaultReplayWindow,
		rtpStreams:   make(map[uint32]*rtpStream),
		rtcpStreams:  make(map[uint32]*rtcpStream),
	}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	if err := c.rtp.init(profile, rtpKey, rtpSalt, rtpAuth); err != nil {
		return nil, err
	}
	if err := c.rtcp.init(profile, rtcpKey, rtcpSalt, rtcpAuth); err != nil {
		return nil, err
	}
	for _, on := range c.encryptIDs {
		if on {
			c.hdrCM = &counterMode{} // keyed by setHeaderKeys
			break
		}
	}
	return c, nil
}

// init keys one session key set (RFC 3711 §4.3.1) once.
func (s *sessionKeys) init(p Profile, key, salt, authKey []byte) error {
	copy(s.salt[:], salt)
	if p.IsAEAD() {
		block, err := aes.NewCipher(key)
		if err != nil {
			return err
		}
		s.gcm, err = cipher.NewGCM(block)
		return err
	}
	if err := s.cm.init(key); err != nil {
		return err
	}
	s.auth = hmac.New(sha1.New, authKey)
	return nil
}

// setHeaderKeys keys the RFC 6904 §4.1 header extension keystream. It is
// always AES-CM, also for the GCM profiles, whose 96-bit header salt is
// padded with zeros to the 112 bits AES-CM takes (RFC 7714 §8.3; libsrtp
// does the same).
func (c *Context) setHeaderKeys(key, salt []byte) error {
	copy(c.hdrSalt[:], salt)
	return c.hdrCM.init(key)
}

// Profile returns the context's protection profile.
func (c *Context) Profile() Profile { return c.profile }

// SetROC sets the rollover counter that SSRC's stream starts with (RFC 3711
// §3.3.1: 0 unless signalled otherwise), for a stream joined late. It takes
// effect if no packet of the SSRC has been processed yet, and otherwise
// resets the stream to (roc, last sequence number).
func (c *Context) SetROC(ssrc uint32, roc uint32) {
	st := c.rtpStream(ssrc)
	st.highest = int64(roc)<<16 | st.highest&0xffff
}

// ROC returns the rollover counter of SSRC's highest authenticated (or
// sent) packet, and whether the SSRC is known.
func (c *Context) ROC(ssrc uint32) (uint32, bool) {
	st, ok := c.rtpStreams[ssrc]
	if !ok {
		return 0, false
	}
	return rocOf(st.highest), true
}

// SetSRTCPIndex sets the SRTCP index (RFC 3711 §3.4) the next EncryptRTCP of
// SSRC uses.
func (c *Context) SetSRTCPIndex(ssrc uint32, next uint32) {
	c.rtcpStream(ssrc).next = next & 0x7fffffff
}

func (c *Context) rtpStream(ssrc uint32) *rtpStream {
	st, ok := c.rtpStreams[ssrc]
	if !ok {
		st = &rtpStream{window: newReplayWindow(c.windowSize)}
		c.rtpStreams[ssrc] = st
	}
	return st
}

func (c *Context) rtcpStream(ssrc uint32) *rtcpStream {
	st, ok := c.rtcpStreams[ssrc]
	if !ok {
		// libsrtp and pion send index 1 first; we do the same.
		st = &rtcpStream{window: newReplayWindow(c.windowSize), next: 1}
		c.rtcpStreams[ssrc] = st
	}
	return st
}
