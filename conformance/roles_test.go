package conformance_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/internal/demux"
)

// TestRolesOfVariants is the table of what each derivation must do to the
// roles DeriveRoles finds, relative to the folder it came from. The roles
// are derived afresh from the variant's files, so each row checks the
// derivation and DeriveRoles together.
func TestRolesOfVariants(t *testing.T) {
	type check func(t *testing.T, orig, d *conformance.Session)
	same := func(t *testing.T, what string, got, want any) {
		t.Helper()
		if got != want {
			t.Errorf("%s: %v, want %v", what, got, want)
		}
	}
	rows := map[string]check{
		"audio-only": func(t *testing.T, o, d *conformance.Session) {
			same(t, "browser", d.Roles.Browser, o.Roles.Browser)
			if d.Roles.HasKind("video") || d.Roles.HasKind("audio") != o.Roles.HasKind("audio") {
				t.Errorf("sections %+v", d.Roles.Sections)
			}
			for i := range d.Roles.Peers {
				if d.Roles.Peers[i].SendsKind("video") {
					t.Errorf("%v still sends video", d.Roles.Peers[i].Side)
				}
			}
		},
		"data-only": func(t *testing.T, o, d *conformance.Session) {
			if len(d.Roles.Sections) != 1 || d.Roles.Sections[0].Kind != "application" {
				t.Errorf("sections %+v", d.Roles.Sections)
			}
			for i := range d.Roles.Peers {
				if p := &d.Roles.Peers[i]; p.Sent[demux.RTP]+p.Sent[demux.RTCP] != 0 {
					t.Errorf("%v sent %d SRTP/SRTCP", p.Side, p.Sent[demux.RTP]+p.Sent[demux.RTCP])
				}
			}
		},
		"browser-answerer": func(t *testing.T, o, d *conformance.Session) {
			same(t, "browser side", d.Roles.Browser, o.Roles.Browser.Other())
			same(t, "browser ufrag", d.BrowserICE, o.BrowserICE)
			same(t, "DTLS client address", d.DTLSClient, o.DTLSClient)
			same(t, "DTLS client side", d.Roles.DTLSClient, o.Roles.DTLSClient.Other())
			same(t, "ICE-controlling is the browser", d.Roles.ICEControlling, d.Roles.Browser)
		},
		"dtls-roles-swapped": func(t *testing.T, o, d *conformance.Session) {
			same(t, "browser side", d.Roles.Browser, o.Roles.Browser)
			same(t, "DTLS client side", d.Roles.DTLSClient, o.Roles.DTLSClient.Other())
			same(t, "ClientHello source", d.DTLSClient, o.Hello.Server)
			same(t, "browser address", d.Browser, o.Browser)
		},
		"full-ice": func(t *testing.T, o, d *conformance.Session) {
			for i := range d.Roles.Peers {
				p := &d.Roles.Peers[i]
				if p.ICELite || p.Requests == 0 || p.Responses == 0 {
					t.Errorf("%v: lite %v, %d requests, %d responses: want a full agent checking and answering", p.Side, p.ICELite, p.Requests, p.Responses)
				}
			}
			same(t, "controlling", d.Roles.ICEControlling, conformance.Offerer)
			same(t, "synthesized checks", d.Roles.ServerPeer().Requests, o.Roles.BrowserPeer().Requests)
			same(t, "all ICE-CONTROLLED", d.Roles.ServerPeer().Controlled, d.Roles.ServerPeer().Requests)
		},
	}
	for _, v := range conformance.Variants {
		if rows[v.Name] == nil {
			t.Errorf("variant %s has no row", v.Name)
		}
	}
	conformance.ForEachSession(t, func(t *testing.T, o *conformance.Session) {
		for _, v := range conformance.Variants {
			t.Run(v.Name, func(t *testing.T) {
				d, err := conformance.Derive(o, v.Name)
				if err != nil {
					t.Fatal(err)
				}
				for _, err := range d.Roles.Check() {
					t.Error(err)
				}
				if d.Derived != v.Name || d.HasTruth || d.Meta != nil {
					t.Errorf("Derived %q HasTruth %v Meta %v", d.Derived, d.HasTruth, d.Meta)
				}
				rows[v.Name](t, o, d)
			})
		}
	})
}

// TestDeriveRolesRules: the browser rule's three steps and Check's
// findings, on a real session's datagrams with edited SDPs and meta.
func TestDeriveRolesRules(t *testing.T) {
	dirs, err := conformance.Sessions()
	if err != nil || len(dirs) == 0 {
		t.Fatal(dirs, err)
	}
	s, err := conformance.Load(dirs[0])
	if err != nil {
		t.Fatal(err)
	}
	derive := func(offer, answer string, meta map[string]any) conformance.Roles {
		t.Helper()
		r, err := conformance.DeriveRoles(s.Datagrams, []byte(offer), []byte(answer), &s.Hello, meta)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	offer, answer := string(s.Offer), string(s.Answer)
	if r := derive(offer, answer, map[string]any{"browser": "answerer"}); r.Browser != conformance.Answerer || !strings.Contains(r.BrowserRule, "meta.json") {
		t.Errorf("meta.json browser=answerer: %v (%s)", r.Browser, r.BrowserRule)
	}
	full := strings.ReplaceAll(answer, "a=ice-lite\r\n", "")
	if r := derive(offer, full, nil); r.Browser != conformance.Offerer || !strings.Contains(r.BrowserRule, "offerer is taken") {
		t.Errorf("no lite side: %v (%s)", r.Browser, r.BrowserRule)
	}
	// a=setup contradicting the ClientHello.
	passive := strings.ReplaceAll(answer, "a=setup:active", "a=setup:passive")
	if r := derive(offer, passive, nil); !containsErr(r.Check(), "RFC 8842 §5.3") {
		t.Errorf("a=setup:passive with the answerer's ClientHello: %v", r.Check())
	}
	// The requesting side declared lite.
	liteOffer := strings.Replace(offer, "t=0 0\r\n", "t=0 0\r\na=ice-lite\r\n", 1)
	if r := derive(liteOffer, answer, nil); !containsErr(r.Check(), "RFC 8445 §2.5") {
		t.Errorf("lite side sending checks: %v", r.Check())
	}
	// Without SDPs the first requester is labelled the offerer and the
	// DTLS client is still placed by address.
	r, err := conformance.DeriveRoles(s.Datagrams, nil, nil, &s.Hello, nil)
	if err != nil || r.SDP || !r.DTLSClientKnown {
		t.Fatalf("no SDPs: %+v %v", r, err)
	}
	if side, _ := r.SideOf(s.Hello.Client); side != r.DTLSClient || !slices.Contains(r.Peers[conformance.Offerer].Addrs, s.Browser) {
		t.Errorf("no SDPs: sides %+v", r.Peers)
	}
}

func containsErr(errs []error, s string) bool {
	for _, e := range errs {
		if strings.Contains(e.Error(), s) {
			return true
		}
	}
	return false
}
