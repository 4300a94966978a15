package srtp

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha1"
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
	rtp     *sessionKeys // SRTP session keys at r = 0 (RFC 3711 §4.3.1)
	rtcp    *sessionKeys // SRTCP session keys at r = 0

	// With a non-zero key derivation rate the master key is kept to derive
	// the keys of each r = index DIV kdr (RFC 3711 §4.3.1).
	kdr uint64
	kd  *keyDeriver

	hdrOn      bool      // RFC 6904 header extension encryption
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
	aad   [12]byte
	tag   [gcmTagLen]byte
	hdr   rtpHeader
}

// sessionKeys is one session key set (SRTP or SRTCP) of RFC 3711 §4.3.1,
// ready to use: AES-CM with HMAC-SHA1, or AES-GCM; for SRTP also the
// RFC 6904 header extension keystream.
type sessionKeys struct {
	r    uint64 // index DIV key_derivation_rate these keys were derived at
	cm   counterMode
	salt [cmSaltLen]byte // k_s (14 bytes for AES-CM; first 12 used for GCM)
	auth hmacSHA1        // HMAC-SHA1 keyed with k_a
	gcm  cipher.AEAD

	hdrCM   *counterMode // RFC 6904 §4.1, nil when off
	hdrSalt [cmSaltLen]byte
}

type rtpStream struct {
	started bool
	highest int64 // highest authenticated (or sent) index: ROC || s_l
	window  replayWindow
	keys    *sessionKeys // keys of the last packet, with a key derivation rate
}

type rtcpStream struct {
	started bool
	highest int64
	next    uint32 // next SRTCP index to send (RFC 3711 §3.4)
	window  replayWindow
	keys    *sessionKeys
}

// Option configures a Context.
type Option func(*Context) error

// WithReplayWindow sets the replay window size in packets (RFC 3711
// §3.3.2). It is rounded up to a power of two, at least 64 and at most
// MaxReplayWindow: the index estimate of RFC 3711 §3.3.1 places every packet
// within 2^15 of the highest index, so a larger window could never be
// consulted (and a huge n would only cost memory, or never end the rounding).
func WithReplayWindow(n int) Option {
	return func(c *Context) error {
		if n > MaxReplayWindow {
			return ErrReplayWindow
		}
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

// WithKeyDerivationRate sets the key derivation rate of RFC 3711 §4.3.1
// (a power of two up to 2^24; 0, the default, derives once). DTLS-SRTP
// requires 0 (RFC 5764 §4.1.2); this is for SDES-keyed peers that ask for
// KDR. Session keys are then derived per r = index DIV kdr and per SSRC;
// each new r derives (and allocates) a key set, so a small rate costs an
// allocation per rekey.
func WithKeyDerivationRate(kdr uint64) Option {
	return func(c *Context) error {
		if kdr&(kdr-1) != 0 || kdr > 1<<24 {
			return ErrKDR
		}
		c.kdr = kdr
		return nil
	}
}

// NewContext derives the session keys for profile from the master key and
// salt (RFC 3711 §4.3; key derivation rate 0 unless WithKeyDerivationRate)
// and returns a Context for one direction.
func NewContext(profile Profile, masterKey, masterSalt []byte, opts ...Option) (*Context, error) {
	if !profile.valid() {
		return nil, ErrProfile
	}
	if len(masterKey) != profile.KeyLen() || len(masterSalt) != profile.SaltLen() {
		return nil, ErrKeyLen
	}
	c, err := newContext(profile, opts)
	if err != nil {
		return nil, err
	}
	kd, err := newKeyDeriver(masterKey, masterSalt)
	if err != nil {
		return nil, err
	}
	if c.rtp, err = c.deriveKeys(kd, 0, false); err != nil {
		return nil, err
	}
	if c.rtcp, err = c.deriveKeys(kd, 0, true); err != nil {
		return nil, err
	}
	if c.kdr != 0 {
		c.kd = kd
	}
	return c, nil
}

func newContext(profile Profile, opts []Option) (*Context, error) {
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
	for _, on := range c.encryptIDs {
		c.hdrOn = c.hdrOn || on
	}
	return c, nil
}

// deriveKeys derives the SRTP (labels 0x00–0x02, and 0x06/0x07 for RFC 6904)
// or SRTCP (0x03–0x05) session keys at r (RFC 3711 §4.3.1).
func (c *Context) deriveKeys(kd *keyDeriver, r uint64, rtcp bool) (*sessionKeys, error) {
	p := c.profile
	enc, auth, salt := labelSRTPEncryption, labelSRTPAuth, labelSRTPSalt
	rLen := 6
	if rtcp {
		enc, auth, salt = labelSRTCPEncryption, labelSRTCPAuth, labelSRTCPSalt
		if c.kdr != 0 {
			rLen = 4 // 0 || SRTCP index (RFC 3711 §4.3.2)
		}
	}
	var buf [32 + cmSaltLen + authKeyLen]byte
	key, s, a := buf[:p.KeyLen()], buf[32:32+p.SaltLen()], buf[32+cmSaltLen:]
	kd.deriveWidth(key, enc, r, rLen)
	kd.deriveWidth(s, salt, r, rLen)
	if !p.IsAEAD() { // RFC 7714 §11: GCM has no authentication key
		kd.deriveWidth(a, auth, r, rLen)
	}
	k, err := newSessionKeys(p, key, s, a)
	if err != nil {
		return nil, err
	}
	k.r = r
	if c.hdrOn && !rtcp {
		// RFC 6904 §4.1: header encryption key and salt, labels 0x06/0x07.
		kd.deriveWidth(key, labelSRTPHeaderKey, r, rLen)
		var hs [cmSaltLen]byte
		kd.deriveWidth(hs[:p.SaltLen()], labelSRTPHeaderSalt, r, rLen)
		if err := k.setHeaderKeys(key, hs[:]); err != nil {
			return nil, err
		}
	}
	clear(buf[:])
	return k, nil
}

// newSessionKeys keys one session key set once.
func newSessionKeys(p Profile, key, salt, authKey []byte) (*sessionKeys, error) {
	s := &sessionKeys{}
	copy(s.salt[:], salt)
	if p.IsAEAD() {
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, err
		}
		s.gcm, err = cipher.NewGCM(block)
		return s, err
	}
	if err := s.cm.init(key); err != nil {
		return nil, err
	}
	s.auth.init(authKey)
	return s, nil
}

// setHeaderKeys keys the RFC 6904 §4.1 header extension keystream. It is
// always AES-CM, also for the GCM profiles, whose 96-bit header salt is
// padded with zeros to the 112 bits AES-CM takes (RFC 7714 §8.3; libsrtp
// does the same).
func (k *sessionKeys) setHeaderKeys(key, salt []byte) error {
	k.hdrCM = &counterMode{}
	copy(k.hdrSalt[:], salt)
	return k.hdrCM.init(key)
}

// rtpKeys returns the SRTP session keys for a packet of st at index: the
// context's keys when the key derivation rate is 0, else those of
// r = index DIV kdr, derived if st does not hold them yet (RFC 3711 §4.3.1).
func (c *Context) rtpKeys(st *rtpStream, index int64) *sessionKeys {
	if c.kdr == 0 {
		return c.rtp
	}
	r := uint64(max(index, 0)) / c.kdr
	if st != nil && st.keys != nil && st.keys.r == r {
		return st.keys
	}
	if r == 0 {
		return c.rtp
	}
	k, err := c.deriveKeys(c.kd, r, false)
	if err != nil { // cannot happen: the master key was accepted once
		return c.rtp
	}
	return k
}

// rtcpKeys is rtpKeys for SRTCP, with r = SRTCP index DIV kdr.
func (c *Context) rtcpKeys(st *rtcpStream, index uint32) *sessionKeys {
	if c.kdr == 0 {
		return c.rtcp
	}
	r := uint64(index) / c.kdr
	if st != nil && st.keys != nil && st.keys.r == r {
		return st.keys
	}
	if r == 0 {
		return c.rtcp
	}
	k, err := c.deriveKeys(c.kd, r, true)
	if err != nil {
		return c.rtcp
	}
	return k
}

// Profile returns the context's protection profile.
func (c *Context) Profile() Profile { return c.profile }

// SetROC sets the rollover counter that SSRC's stream starts with (RFC 3711
// §3.3.1: 0 unless signalled otherwise), for a stream joined late. It takes
// effect if no packet of the SSRC has been processed yet, and otherwise
// resets the stream to (roc, last sequence number).
func (c *Context) SetROC(ssrc uint32, roc uint32) {
	st := c.rtpStream(ssrc)
	highest := int64(roc)<<16 | st.highest&0xffff
	if st.started {
		st.window.reset(&st.highest, highest) // old bits are of other indices
	} else {
		st.highest = highest
	}
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

// Forget drops SSRC's SRTP and SRTCP state (ROC, replay windows, SRTCP
// index), for a stream that has ended. A later packet of the SSRC starts a
// new stream at ROC 0.
func (c *Context) Forget(ssrc uint32) {
	delete(c.rtpStreams, ssrc)
	delete(c.rtcpStreams, ssrc)
}
