package annotate_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/plainrtc/plainrtc/annotate"
	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/internal/demux"
)

// liveAnnotator feeds s through an Annotator the way the SFU's inspector
// would: the SDPs as bytes, the direction and DTLS role of each datagram
// from what the server knows of itself, and the SRTP keys installed only
// once the handshake is over (at the first SRTP or SRTCP datagram).
func liveAnnotate(t *testing.T, s *conformance.Session) []*annotate.Record {
	t.Helper()
	// The later exchanges first, the latest first (a renegotiation may
	// give an id the earlier answers left unused a new meaning), then the
	// first answer and offer, as the inspector learns them.
	info := annotate.NewSDPInfo()
	for i := len(s.Exchanges) - 1; i >= 0; i-- {
		for _, b := range [][]byte{s.Exchanges[i].Answer, s.Exchanges[i].Offer} {
			if err := info.Add("later", b); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, b := range [][]byte{s.Answer, s.Offer} {
		if err := info.Add("first", b); err != nil {
			t.Fatal(err)
		}
	}
	a, err := annotate.New(annotate.Config{SDP: info})
	if err != nil {
		t.Fatal(err)
	}
	keyed := false
	var recs []*annotate.Record
	for i, d := range s.Datagrams {
		if c := demux.Classify(d.Payload); !keyed && (c == demux.RTP || c == demux.RTCP) {
			// What the SFU's transport has when its handshake ends: the
			// profile and the exporter output.
			k, err := annotate.KeysFromKeyingMaterial(s.SRTPProfile, s.KeyingMaterial)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(k.ClientKey, s.ClientKey) || !bytes.Equal(k.ServerSalt, s.ServerSalt) {
				t.Fatalf("keys split differently from conformance's: %x %x", k.ClientKey, s.ClientKey)
			}
			if err := a.SetKeys(k); err != nil {
				t.Fatal(err)
			}
			keyed = true
		}
		dir := annotate.ToBrowser
		if s.FromBrowser(d) {
			dir = annotate.FromBrowser
		}
		recs = append(recs, a.Annotate(annotate.Datagram{N: i + 1, Time: d.Time, Src: d.Src, Dst: d.Dst,
			Dir: dir, FromDTLSClient: s.FromDTLSClient(d), Payload: d.Payload}))
	}
	return recs
}

// TestLiveCorpus: datagram by datagram, with keys arriving after the
// handshake, every STUN message verifies and every SRTP/SRTCP packet of the
// corpus authenticates, as truth.json counts them; RTCP compounds are
// spelled out and some video packet is a key frame.
func TestLiveCorpus(t *testing.T) {
	conformance.ForEachSession(t, func(t *testing.T, s *conformance.Session) {
		recs := liveAnnotate(t, s)
		var stunOK, rtpOK, rtcpOK, keyframes, rtcpPackets int
		var sum annotate.Summary
		for _, r := range recs {
			sum.Add(r)
			if r.Error != "" {
				t.Errorf("frame %d: %s", r.N, r.Error)
			}
			switch {
			case r.STUN != nil:
				if r.STUN.Integrity == "ok" && r.STUN.Fingerprint == "ok" {
					stunOK++
				}
			case r.RTP != nil:
				if r.SRTP != nil && r.SRTP.Auth == "ok" {
					rtpOK++
				}
				if r.RTP.Keyframe != nil && *r.RTP.Keyframe {
					keyframes++
				}
			case r.RTCP != nil:
				if r.SRTP != nil && r.SRTP.Auth == "ok" {
					rtcpOK++
				}
				rtcpPackets += len(r.RTCP.Packets)
			}
		}
		c := s.Truth.Counts
		if stunOK != c.STUN || rtpOK != c.SRTPOK || rtcpOK != c.SRTCPOK {
			t.Errorf("verified STUN %d/%d, SRTP %d/%d, SRTCP %d/%d (truth)", stunOK, c.STUN, rtpOK, c.SRTPOK, rtcpOK, c.SRTCPOK)
		}
		if (keyframes == 0 && s.Roles.HasKind("video")) || rtcpPackets < rtcpOK {
			t.Errorf("%d keyframes, %d RTCP packets in %d compounds", keyframes, rtcpPackets, rtcpOK)
		}
		sum.Finish()
		if sum.Datagrams != len(s.Datagrams) || len(sum.Streams) != len(s.Truth.RTPStreams) {
			t.Errorf("summary: %d datagrams, %d streams; capture %d, truth %d streams", sum.Datagrams, len(sum.Streams), len(s.Datagrams), len(s.Truth.RTPStreams))
		}
	})
}

// TestExplainCitesSections: every explained field of every corpus datagram
// names the document that defines it, and every RFC or draft cited links
// to its section; the links for a few known fields are the right ones.
func TestExplainCitesSections(t *testing.T) {
	seen := map[string]string{}
	conformance.ForEachSession(t, func(t *testing.T, s *conformance.Session) {
		for _, r := range liveAnnotate(t, s) {
			lines := r.Explain()
			if len(lines) < 2 {
				t.Fatalf("frame %d (%s): %d lines", r.N, r.Class, len(lines))
			}
			for _, l := range lines {
				if l.Ref == "" {
					t.Errorf("frame %d: %s = %q cites nothing", r.N, l.Name, l.Value)
					continue
				}
				if (strings.Contains(l.Ref, "RFC ") || strings.Contains(l.Ref, "draft-")) && l.URL == "" {
					t.Errorf("frame %d: %s cites %q without a URL", r.N, l.Name, l.Ref)
				}
				seen[l.Name] = l.URL
			}
			if _, err := json.Marshal(lines); err != nil {
				t.Fatal(err)
			}
		}
	})
	for name, want := range map[string]string{
		"USERNAME":        "https://www.rfc-editor.org/rfc/rfc8489#section-14.3",
		"integrity":       "https://www.rfc-editor.org/rfc/rfc8489#section-14.5",
		"fingerprint":     "https://www.rfc-editor.org/rfc/rfc8489#section-14.7",
		"use_srtp":        "https://www.rfc-editor.org/rfc/rfc5764#section-4.1.1",
		"sequence_number": "https://www.rfc-editor.org/rfc/rfc3550#section-5.1",
		"auth":            "https://www.rfc-editor.org/rfc/rfc3711#section-3.3",
		"srtcp_index":     "https://www.rfc-editor.org/rfc/rfc3711#section-3.4",
	} {
		if seen[name] != want {
			t.Errorf("%s links %q, want %q", name, seen[name], want)
		}
	}
}

func TestKeysFromKeyingMaterialRejects(t *testing.T) {
	if _, err := annotate.KeysFromKeyingMaterial(1, make([]byte, 59)); err == nil {
		t.Error("59 bytes accepted for AES128_CM_HMAC_SHA1_80 (needs 60)")
	}
	if _, err := annotate.KeysFromKeyingMaterial(0x1234, make([]byte, 60)); err == nil {
		t.Error("unknown profile accepted")
	}
}

func TestRefURL(t *testing.T) {
	for ref, want := range map[string]string{
		"RFC 8489 §14.9":                "https://www.rfc-editor.org/rfc/rfc8489#section-14.9",
		"RFC 3550 §A.3":                 "https://www.rfc-editor.org/rfc/rfc3550#appendix-A.3",
		"RFC 3550 §6.4.1 NTP timestamp": "https://www.rfc-editor.org/rfc/rfc3550#section-6.4.1",
		"RFC 6464 §3":                   "https://www.rfc-editor.org/rfc/rfc6464#section-3",
		"unknown, comprehension-required (RFC 8489 §14)":          "https://www.rfc-editor.org/rfc/rfc8489#section-14",
		"draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1": "https://datatracker.ietf.org/doc/html/draft-holmer-rmcat-transport-wide-cc-extensions-01#section-3.1",
		"RFC 7983":                 "https://www.rfc-editor.org/rfc/rfc7983",
		"webrtc.org abs-send-time": "",
		"3GPP TS 26.114 §7.4.5":    "",
	} {
		if got := annotate.RefURL(ref); got != want {
			t.Errorf("RefURL(%q) = %q, want %q", ref, got, want)
		}
	}
}

// FuzzAnnotate: any payload, with SDPs and keys loaded, in either
// direction, is explained without a panic, and its record marshals.
func FuzzAnnotate(f *testing.F) {
	dirs, _ := conformance.Sessions()
	s, err := conformance.Load(dirs[0])
	if err != nil {
		f.Fatal(err)
	}
	for i, d := range s.Datagrams {
		if i%25 == 0 {
			f.Add(d.Payload, i%2 == 0)
		}
	}
	info, err := annotate.ParseSDPs(s.Offer, s.Answer)
	if err != nil {
		f.Fatal(err)
	}
	a, err := annotate.New(annotate.Config{SDP: info, Keys: &annotate.Keys{Profile: s.SRTPProfile, ClientKey: s.ClientKey,
		ClientSalt: s.ClientSalt, ServerKey: s.ServerKey, ServerSalt: s.ServerSalt}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, p []byte, fromClient bool) {
		r := a.Annotate(annotate.Datagram{N: 1, Src: s.Browser, Dst: s.Server, FromDTLSClient: fromClient, Payload: p})
		_ = r.Explain()
		if _, err := json.Marshal(r); err != nil {
			t.Fatal(err)
		}
	})
}
