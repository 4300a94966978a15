package sfu

import (
	"time"

	"github.com/plainrtc/plainrtc/ice"
	"github.com/plainrtc/plainrtc/sdp"
)

// restartICE applies a participant's ICE restart offer: new remote
// credentials restart the agent (RFC 8445 §9), which makes new local ones;
// the mux routes the new ufrag to the session as well as the old; the room
// answers with the negotiated sections. DTLS and SRTP carry on: the
// fingerprint must not change (a new one would need a new DTLS
// association, RFC 8842 §5).
func (x *session) restartICE(o *offer) ([]byte, error) {
	fps, err := remoteFingerprints(o)
	if err != nil {
		return nil, err
	}
	if len(x.fps) == 0 || len(fps) == 0 || fps[0].String() != x.fps[0].String() {
		return nil, badf("an ICE restart must keep the DTLS fingerprint (RFC 8842 §5: a new association needs a new session)")
	}
	h := x.rh
	h.mu.Lock()
	defer h.mu.Unlock()
	if x.ended || x.p.neg == nil {
		return nil, badf("the session has ended")
	}
	restarted, err := x.agent.SetRemoteCredentials(ice.Credentials{Ufrag: o.Ufrag, Pwd: o.Pwd}, time.Now())
	if err != nil {
		return nil, &badSDP{err.Error()}
	}
	if !restarted {
		return nil, badf("the offer keeps the ICE credentials: not an ICE restart (RFC 8445 §9)")
	}
	x.pollEvents()
	local := x.agent.LocalCredentials()
	if err := x.tp.AddUfrag(local.Ufrag); err != nil {
		return nil, err
	}
	answer, err := h.room.answerRestart(x.p, o, sdp.Config{ICEUfrag: local.Ufrag, ICEPwd: local.Pwd}, sdp.Setup(x.setup))
	h.flush()
	if err != nil {
		return nil, err
	}
	x.log.Info("ICE restarted", "local_ufrag", local.Ufrag, "remote_ufrag", o.Ufrag)
	return answer, nil
}
