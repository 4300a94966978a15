package conformance

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/plainrtc/plainrtc/sdp"
)

// Exchange is one later offer/answer exchange of a session (RFC 3264 §8,
// JSEP RFC 9429 §5.2.2): offer-N.sdp and answer-N.sdp of a corpus folder,
// N = 2, 3, …, in the order they completed. Either side may have made
// the offer; an ICE restart's offer carries new credentials (RFC 8445
// §9, RFC 8839 §4.4.1.1.2).
type Exchange struct {
	N             int    // 2 for offer-2.sdp/answer-2.sdp, …
	Offer, Answer []byte // exactly as in the folder
	// Offerer is the side (of the first exchange) that made this offer:
	// the one whose certificate its a=fingerprint names (RFC 8122 §5;
	// the certificate does not change within a session), else whose ICE
	// credentials it repeats.
	Offerer Side
}

// readExchanges reads offer-2.sdp/answer-2.sdp, offer-3.sdp… until the
// next offer is missing; an offer without its answer is an error.
func readExchanges(dir string) ([]Exchange, error) {
	var out []Exchange
	for n := 2; ; n++ {
		offer, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("offer-%d.sdp", n)))
		if errors.Is(err, fs.ErrNotExist) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		answer, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("answer-%d.sdp", n)))
		if err != nil {
			return nil, fmt.Errorf("offer-%d.sdp without its answer: %w", n, err)
		}
		out = append(out, Exchange{N: n, Offer: offer, Answer: answer})
	}
}

// firstFingerprint is the first a=fingerprint of s (session level, else
// the first m= section's).
func firstFingerprint(s *sdp.Session) string {
	var m *sdp.Media
	if len(s.Media) > 0 {
		m = &s.Media[0]
	}
	for f := range s.Fingerprints(m) {
		return f.String()
	}
	return ""
}

// readExchanges takes the later exchanges into the roles: which side
// offered each, every side's later ICE credentials (ICE restarts), and
// what each side's directions send in them, added to Peer.Sends: a kind
// a side starts sending only after a renegotiation is still one its SDPs
// say it sends.
func (r *Roles) readExchanges(xs []Exchange) error {
	for i := range xs {
		x := &xs[i]
		var sess [2]*sdp.Session
		for j, b := range [][]byte{x.Offer, x.Answer} {
			s, err := sdp.Parse(b)
			if err != nil {
				return fmt.Errorf("%s-%d.sdp: %w", [2]string{"offer", "answer"}[j], x.N, err)
			}
			sess[j] = s
		}
		x.Offerer = Offerer
		fp := firstFingerprint(sess[0])
		u, _, _ := sess[0].ICECredentials()
		switch {
		case fp != "" && fp == r.fingerprints[Answerer] && fp != r.fingerprints[Offerer]:
			x.Offerer = Answerer
		case fp == "" && r.Peers[Answerer].HasUfrag(u):
			x.Offerer = Answerer
		}
		sides := [2]Side{x.Offerer, x.Offerer.Other()}
		for j, s := range sess {
			p := r.Peer(sides[j])
			if u, pw, ok := s.ICECredentials(); ok && !p.HasUfrag(u) {
				p.LaterICE = append(p.LaterICE, ICECredentials{Ufrag: u, Pwd: pw})
			}
		}
		o, a := sess[0], sess[1]
		for k := range o.Media {
			if k >= len(a.Media) || a.Media[k].MediaLine().Port == 0 {
				continue
			}
			kind := o.Media[k].MediaLine().Media
			if r.laterKinds == nil {
				r.laterKinds = map[string]bool{}
			}
			r.laterKinds[kind] = true
			for j, dir := range []sdp.Direction{o.Direction(&o.Media[k]), a.Direction(&a.Media[k])} {
				p := r.Peer(sides[j])
				if (kind == "application" || dir.Sends()) && !p.SendsKind(kind) {
					p.Sends = append(p.Sends, kind)
				}
			}
		}
		r.Renegotiations++
	}
	return nil
}

// HasUfrag reports whether u is one of p's ufrags: the first exchange's
// or an ICE restart's.
func (p *Peer) HasUfrag(u string) bool {
	_, ok := p.Credentials(u)
	return ok
}

// Credentials returns p's credentials with ufrag u: the first exchange's
// (p.ICE) or a later one's (p.LaterICE).
func (p *Peer) Credentials(u string) (ICECredentials, bool) {
	if u == "" {
		return ICECredentials{}, false
	}
	if p.ICE.Ufrag == u {
		return p.ICE, true
	}
	for _, c := range p.LaterICE {
		if c.Ufrag == u {
			return c, true
		}
	}
	return ICECredentials{}, false
}

// Generation returns which of p's credentials have ufrag u: 0 for the
// first exchange's, n for the n-th ICE restart's; -1 for none.
func (p *Peer) Generation(u string) int {
	if u != "" && p.ICE.Ufrag == u {
		return 0
	}
	for i, c := range p.LaterICE {
		if c.Ufrag == u {
			return i + 1
		}
	}
	return -1
}
