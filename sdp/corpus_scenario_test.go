package sdp_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/sdp"
)

// exchangesOf is every offer/answer pair of s in order: offer.sdp and
// answer.sdp, then offer-2.sdp, answer-2.sdp, ….
func exchangesOf(s *conformance.Session) []conformance.Exchange {
	return append([]conformance.Exchange{{N: 1, Offer: s.Offer, Answer: s.Answer}}, s.Exchanges...)
}

// Every description of every exchange of every corpus session, the
// renegotiations and ICE restarts included, parses and marshals back byte
// for byte (RFC 8866: a lossless round trip).
func TestCorpusEveryExchangeRoundTrips(t *testing.T) {
	conformance.ForEachSession(t, func(t *testing.T, s *conformance.Session) {
		n := 0
		for _, x := range exchangesOf(s) {
			for _, d := range []struct {
				name string
				b    []byte
			}{{fmt.Sprintf("offer %d", x.N), x.Offer}, {fmt.Sprintf("answer %d", x.N), x.Answer}} {
				p, err := sdp.Parse(d.b)
				if err != nil {
					t.Errorf("%s: %v", d.name, err)
					continue
				}
				if got := p.Marshal(); !bytes.Equal(got, d.b) {
					t.Errorf("%s does not round-trip:\n got %q\nwant %q", d.name, got, d.b)
				}
				n++
			}
		}
		t.Logf("%d descriptions round-trip", n)
	})
}

// mediaState is one m= section after an exchange.
type mediaState struct {
	kind, mid    string
	live         bool // port not 0 in offer and answer
	browserSends bool // the browser's description sends on it
}

// sectionsAfter reads the sections an exchange leaves, with what the
// browser's side of it says.
func sectionsAfter(t *testing.T, s *conformance.Session, x conformance.Exchange) []mediaState {
	t.Helper()
	o, err := sdp.Parse(x.Offer)
	if err != nil {
		t.Fatal(err)
	}
	a, err := sdp.Parse(x.Answer)
	if err != nil {
		t.Fatal(err)
	}
	browserOffered := x.Offerer == s.Roles.Browser
	if x.N == 1 {
		browserOffered = s.Roles.Browser == conformance.Offerer
	}
	var out []mediaState
	for i := range o.Media {
		m := &o.Media[i]
		st := mediaState{kind: m.MediaLine().Media}
		st.mid, _ = m.MID()
		if i < len(a.Media) {
			st.live = m.MediaLine().Port != 0 && a.Media[i].MediaLine().Port != 0
			if browserOffered {
				st.browserSends = st.live && o.Direction(m).Sends()
			} else {
				st.browserSends = st.live && a.Direction(&a.Media[i]).Sends()
			}
		}
		out = append(out, st)
	}
	return out
}

// cmd/capture's "renegotiate" sessions: the browser turned its camera on
// after joining with the microphone only, then off. Across the exchanges
// (JSEP RFC 9429 §5.2.2, RFC 3264 §8) no m= section is ever removed or
// changes kind or mid, one exchange adds a video section the browser
// sends on, and a later one stops the browser sending on it.
func TestCorpusScenarioRenegotiate(t *testing.T) {
	conformance.ForEachSession(t, func(t *testing.T, s *conformance.Session) {
		if sc, _ := s.Meta["scenario"].(string); sc != "renegotiate" {
			t.Skipf("scenario %q: not a renegotiate session", sc)
		}
		xs := exchangesOf(s)
		if len(xs) < 3 {
			t.Fatalf("%d exchanges; a track added and removed needs at least 3", len(xs))
		}
		prev := sectionsAfter(t, s, xs[0])
		added, removed := "", ""
		for _, x := range xs[1:] {
			cur := sectionsAfter(t, s, x)
			if len(cur) < len(prev) {
				t.Errorf("exchange %d has %d m= sections, fewer than the %d before (RFC 3264 §8.1)", x.N, len(cur), len(prev))
				prev = cur
				continue
			}
			for i, c := range cur {
				if i < len(prev) {
					if p := prev[i]; p.kind != c.kind || p.mid != c.mid {
						t.Errorf("exchange %d: section %d changed from %s/%s to %s/%s", x.N, i, p.kind, p.mid, c.kind, c.mid)
					}
					if prev[i].browserSends && !c.browserSends && c.kind == "video" && added == c.mid {
						removed = fmt.Sprintf("exchange %d stops the browser's video on mid %s", x.N, c.mid)
					}
					continue
				}
				if c.kind == "video" && c.browserSends && added == "" {
					added = c.mid
					t.Logf("exchange %d adds video mid %s, sent by the browser", x.N, c.mid)
				}
			}
			prev = cur
		}
		if added == "" {
			t.Error("no exchange adds a video section the browser sends on")
		}
		if removed == "" {
			t.Error("no exchange stops the added video section")
		} else {
			t.Log(removed)
		}
	})
}
