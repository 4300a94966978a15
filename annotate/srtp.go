package annotate

import (
	"errors"
	"fmt"
	"strings"

	"github.com/plainrtc/plainrtc/rtp"
	"github.com/plainrtc/plainrtc/srtp"
)

// SRTP says whether an SRTP/SRTCP packet authenticated.
type SRTP struct {
	// Auth: "ok" (the tag verifies), "fail" (tag mismatch) or "error"
	// (not decryptable, e.g. too short to hold a tag).
	Auth string `json:"auth"`
	// Replay: the packet index was already received or is older than the
	// window (RFC 3711 §3.3.2). Such a packet is still checked, with a fresh
	// context at the stream's rollover counter, so Auth stays meaningful.
	Replay bool   `json:"replay,omitempty"`
	Error  string `json:"error,omitempty"`
}

// Keys are the SRTP master keys and salts of both directions of a session,
// as the DTLS exporter gives them (RFC 5764 §4.2: client key, server key,
// client salt, server salt, here split by direction).
type Keys struct {
	Profile               uint16 // the use_srtp profile of the ServerHello (RFC 5764 §4.1.2)
	ClientKey, ClientSalt []byte // protect what the DTLS client sends
	ServerKey, ServerSalt []byte // protect what the DTLS server sends
}

// KeysFromKeyingMaterial splits the DTLS exporter output (label
// "EXTRACTOR-dtls_srtp", RFC 5764 §4.2) of a session with the given
// use_srtp profile into Keys: what the SFU's transport hands over when its
// handshake ends (transport.Session.Keys.Profile and .KeyingMaterial). The
// keys are copies.
func KeysFromKeyingMaterial(profile uint16, km []byte) (Keys, error) {
	ck, cs, sk, ss, err := srtp.SplitKeyingMaterial(srtp.Profile(profile), km)
	if err != nil {
		return Keys{}, fmt.Errorf("annotate: %d bytes of keying material for profile 0x%04x: %w (RFC 5764 §4.2)", len(km), profile, err)
	}
	cp := func(b []byte) []byte { return append([]byte(nil), b...) }
	return Keys{Profile: profile, ClientKey: cp(ck), ClientSalt: cp(cs), ServerKey: cp(sk), ServerSalt: cp(ss)}, nil
}

// srtpState holds the SRTP contexts of both directions. They are the
// annotator's own: decrypting here never touches the contexts of the
// endpoint or SFU whose traffic is explained.
type srtpState struct {
	keys           Keys
	profile        srtp.Profile
	client, server *srtp.Context // unprotect what the DTLS client / server sent
	buf            []byte
	rtcpDec        rtcpDecoder
}

func newSRTPState(keys Keys) (*srtpState, error) {
	p := srtp.Profile(keys.Profile)
	st := &srtpState{keys: keys, profile: p}
	var err error
	if st.client, err = srtp.NewContext(p, keys.ClientKey, keys.ClientSalt); err != nil {
		return nil, err
	}
	if st.server, err = srtp.NewContext(p, keys.ServerKey, keys.ServerSalt); err != nil {
		return nil, err
	}
	return st, nil
}

func (st *srtpState) context(fromClient bool) *srtp.Context {
	if fromClient {
		return st.client
	}
	return st.server
}

// fresh returns a new context with the keys of one direction, for checking
// a replayed packet without disturbing the stream state.
func (st *srtpState) fresh(fromClient bool) (*srtp.Context, error) {
	if fromClient {
		return srtp.NewContext(st.profile, st.keys.ClientKey, st.keys.ClientSalt)
	}
	return srtp.NewContext(st.profile, st.keys.ServerKey, st.keys.ServerSalt)
}

func isReplay(err error) bool {
	return errors.Is(err, srtp.ErrReplayed) || errors.Is(err, srtp.ErrTooOld)
}

// decrypt unprotects a copy of p (the capture stays intact) with the
// direction's context; a replayed packet is checked with a fresh context.
func (st *srtpState) decrypt(p []byte, fromClient, isRTCP bool, ssrc uint32) ([]byte, *SRTP) {
	st.buf = append(st.buf[:0], p...)
	ctx := st.context(fromClient)
	dec := ctx.DecryptRTP
	if isRTCP {
		dec = ctx.DecryptRTCP
	}
	plain, err := dec(st.buf)
	if !isReplay(err) {
		return plain, authVerdict(err)
	}
	fresh, ferr := st.fresh(fromClient)
	if ferr != nil {
		return nil, authVerdict(ferr)
	}
	dec = fresh.DecryptRTCP
	if !isRTCP {
		if roc, ok := ctx.ROC(ssrc); ok {
			fresh.SetROC(ssrc, roc)
		}
		dec = fresh.DecryptRTP
	}
	st.buf = append(st.buf[:0], p...)
	plain, err = dec(st.buf)
	v := authVerdict(err)
	v.Replay = true
	return plain, v
}

func authVerdict(err error) *SRTP {
	switch {
	case err == nil:
		return &SRTP{Auth: "ok"}
	case errors.Is(err, srtp.ErrAuthFailed):
		return &SRTP{Auth: "fail", Error: err.Error()}
	}
	return &SRTP{Auth: "error", Error: err.Error()}
}

// rtp decrypts an SRTP packet (a copy: the capture stays intact) and reads
// the payload: its length and, for video, whether it starts a key frame.
func (st *srtpState) rtp(r *Record, dg Datagram) error {
	plain, v := st.decrypt(dg.Payload, dg.FromDTLSClient, false, r.RTP.SSRC)
	r.SRTP = v
	if v.Auth != "ok" {
		return nil // the verdict says it; the clear header is still shown
	}
	var p rtp.Packet
	err := p.Unmarshal(plain)
	if err != nil {
		return err
	}
	r.RTP.PayloadLen = len(p.Payload)
	codec := strings.ToUpper(r.RTP.Codec)
	var kf bool
	switch {
	case strings.HasPrefix(codec, "VP8/"):
		kf, err = rtp.VP8IsKeyframe(p.Payload)
	case strings.HasPrefix(codec, "VP9/"):
		var v rtp.VP9Descriptor
		if _, err = v.Unmarshal(p.Payload); err == nil {
			kf = v.IsKeyframe()
		}
	case strings.HasPrefix(codec, "H264/"):
		var h rtp.H264Payload
		if err = h.Unmarshal(p.Payload); err == nil {
			kf = h.IsKeyframe()
		}
	default:
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s payload: %w", r.RTP.Codec, err)
	}
	r.RTP.Keyframe = &kf
	return nil
}

// rtcp decrypts an SRTCP packet and decodes every packet of the compound.
func (st *srtpState) rtcp(r *Record, dg Datagram) error {
	plain, v := st.decrypt(dg.Payload, dg.FromDTLSClient, true, r.RTCP.SSRC)
	r.SRTP = v
	if v.Auth != "ok" {
		return nil
	}
	var err error
	r.RTCP.Packets, err = st.rtcpDec.decodeCompound(plain)
	return err
}
