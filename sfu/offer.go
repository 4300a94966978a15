package sfu

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/plainrtc/plainrtc/sdp"
)

// codec is one payload format of an m= section: a=rtpmap, a=fmtp and
// a=rtcp-fb joined by payload type (RFC 8866 §6.6, §6.15; RFC 4585 §4.2).
type codec struct {
	PT       uint8
	Name     string // encoding name as written (e.g. "VP8", "opus")
	Clock    uint32
	Channels int    // 0 when absent
	Fmtp     string // a=fmtp parameters, "" when absent
	FB       []string
}

// key compares codecs across peers: name (case-insensitive), clock rate and,
// for H264, packetization-mode and profile-level-id (RFC 6184 §8.1).
func (c codec) key() string {
	k := strings.ToLower(c.Name) + "/" + strconv.Itoa(int(c.Clock))
	if strings.EqualFold(c.Name, "H264") {
		p := fmtpParams(c.Fmtp)
		mode := p["packetization-mode"]
		if mode == "" {
			mode = "0"
		}
		plid := strings.ToLower(p["profile-level-id"])
		if len(plid) == 6 { // profile_idc + constraint flags; the level may differ
			plid = plid[:4]
		}
		k += ";mode=" + mode + ";profile=" + plid
	}
	if strings.EqualFold(c.Name, "VP9") {
		if id := fmtpParams(c.Fmtp)["profile-id"]; id != "" && id != "0" {
			k += ";profile-id=" + id
		}
	}
	return k
}

// aptOf returns the apt= payload type of an RTX codec (RFC 4588 §8.6).
func (c codec) aptOf() (uint8, bool) {
	if !strings.EqualFold(c.Name, "rtx") {
		return 0, false
	}
	v, err := strconv.Atoi(fmtpParams(c.Fmtp)["apt"])
	if err != nil || v < 0 || v > 127 {
		return 0, false
	}
	return uint8(v), true
}

func fmtpParams(f string) map[string]string {
	m := map[string]string{}
	for _, kv := range strings.Split(f, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(kv), "=")
		if k != "" {
			m[strings.ToLower(k)] = v
		}
	}
	return m
}

// extmap is one a=extmap line (RFC 8285 §8).
type extmap struct {
	ID  uint8
	URI string
}

// offerMedia is what the SFU needs from one m= section of an offer.
type offerMedia struct {
	Kind      string // audio, video, application
	Proto     string
	Mid       string
	Direction string // sendrecv, sendonly, recvonly, inactive
	Rejected  bool
	Codecs    []codec // in m= line preference order
	Extmaps   []extmap
	SSRCs     []uint32 // a=ssrc ids in order of appearance, deduplicated
	FIDs      [][2]uint32
	CNAME     string
	RTCPRsize bool
	SCTPPort  int
}

// offer is a parsed remote offer.
type offer struct {
	Raw         []byte
	SDP         *sdp.Session
	Ufrag, Pwd  string
	Fingerprint string // "sha-256 AB:CD:..."
	Setup       string
	Media       []offerMedia
}

// badSDP is an offer the SFU cannot answer; signaling maps it to 400.
type badSDP struct{ reason string }

func (e *badSDP) Error() string { return "sfu: bad offer: " + e.reason }

func badf(format string, a ...any) error { return &badSDP{fmt.Sprintf(format, a...)} }

// parseOffer parses an SDP offer from a WebRTC client and checks that it is
// something a BUNDLE-only, rtcp-mux, ICE-lite server can answer (RFC 8829
// §5.3, RFC 8843, RFC 8839 §5.4, RFC 8842 §5).
func parseOffer(b []byte) (*offer, error) {
	s, err := sdp.Parse(b)
	if err != nil {
		return nil, &badSDP{err.Error()}
	}
	o := &offer{Raw: b, SDP: s}
	var ok bool
	if o.Ufrag, o.Pwd, ok = s.ICECredentials(); !ok {
		return nil, badf("no a=ice-ufrag/a=ice-pwd (RFC 8839 §5.4)")
	}
	sessFP, _ := s.Attribute("fingerprint")
	sessSetup, _ := s.Attribute("setup")
	if len(s.Media) == 0 {
		return nil, badf("no m= sections")
	}
	for i := range s.Media {
		m := &s.Media[i]
		ml := m.MediaLine()
		om := offerMedia{Kind: ml.Media, Proto: ml.Proto, Rejected: m.Rejected(), Direction: "sendrecv"}
		byPT := map[uint8]int{}
		ml.EachFormat(func(f string) {
			if pt, err := strconv.Atoi(f); err == nil && pt >= 0 && pt <= 127 {
				byPT[uint8(pt)] = len(om.Codecs)
				om.Codecs = append(om.Codecs, codec{PT: uint8(pt)})
			}
		})
		seen := map[uint32]bool{}
		fp, setup := sessFP, sessSetup
		for _, l := range m.Lines[1:] {
			name, val, _ := l.Attribute()
			switch name {
			case "mid":
				om.Mid = val
			case "sendrecv", "sendonly", "recvonly", "inactive":
				om.Direction = name
			case "rtcp-rsize":
				om.RTCPRsize = true
			case "fingerprint":
				fp = val
			case "setup":
				setup = val
			case "sctp-port":
				om.SCTPPort, _ = strconv.Atoi(val)
			case "rtpmap":
				pt, enc, ok := ptValue(val)
				if i, known := byPT[pt]; ok && known {
					parts := strings.Split(enc, "/")
					c := &om.Codecs[i]
					c.Name = parts[0]
					if len(parts) > 1 {
						r, _ := strconv.Atoi(parts[1])
						c.Clock = uint32(r)
					}
					if len(parts) > 2 {
						c.Channels, _ = strconv.Atoi(parts[2])
					}
				}
			case "fmtp":
				if pt, v, ok := ptValue(val); ok {
					if i, known := byPT[pt]; known {
						om.Codecs[i].Fmtp = v
					}
				}
			case "rtcp-fb":
				if pt, v, ok := ptValue(val); ok {
					if i, known := byPT[pt]; known {
						om.Codecs[i].FB = append(om.Codecs[i].FB, v)
					}
				}
			case "extmap":
				idDir, uri, _ := strings.Cut(val, " ")
				idStr, _, _ := strings.Cut(idDir, "/")
				uri, _, _ = strings.Cut(uri, " ")
				if id, err := strconv.Atoi(idStr); err == nil && id > 0 && id < 256 {
					om.Extmaps = append(om.Extmaps, extmap{ID: uint8(id), URI: uri})
				}
			case "ssrc":
				idStr, attr, _ := strings.Cut(val, " ")
				if id, err := strconv.ParseUint(idStr, 10, 32); err == nil {
					if !seen[uint32(id)] {
						seen[uint32(id)] = true
						om.SSRCs = append(om.SSRCs, uint32(id))
					}
					if c, ok := strings.CutPrefix(attr, "cname:"); ok {
						om.CNAME = c
					}
				}
			case "ssrc-group":
				f := strings.Fields(val)
				if len(f) == 3 && f[0] == "FID" {
					a, e1 := strconv.ParseUint(f[1], 10, 32)
					b, e2 := strconv.ParseUint(f[2], 10, 32)
					if e1 == nil && e2 == nil {
						om.FIDs = append(om.FIDs, [2]uint32{uint32(a), uint32(b)})
					}
				}
			}
		}
		if om.Rejected {
			o.Media = append(o.Media, om)
			continue
		}
		if om.Mid == "" {
			return nil, badf("m= section %d has no a=mid (RFC 8843 §9.1, RFC 8829 §5.2.1)", i)
		}
		if fp == "" {
			return nil, badf("m= section %d (mid %s) has no a=fingerprint (RFC 8122 §5)", i, om.Mid)
		}
		if o.Fingerprint == "" {
			o.Fingerprint = fp
		}
		if o.Setup == "" {
			o.Setup = setup
		}
		if !strings.Contains(ml.Proto, "TLS") && !strings.Contains(ml.Proto, "DTLS") {
			return nil, badf("m= section %d (mid %s) proto %q is not DTLS-SRTP or DTLS/SCTP (RFC 8827 §6.5)", i, om.Mid, ml.Proto)
		}
		o.Media = append(o.Media, om)
	}
	if o.Setup != "" && o.Setup != "actpass" && o.Setup != "active" && o.Setup != "passive" {
		return nil, badf("a=setup:%s, want actpass, active or passive (RFC 4145 §4)", o.Setup)
	}
	if !strings.HasPrefix(strings.ToLower(o.Fingerprint), "sha-256 ") {
		return nil, badf("a=fingerprint %q: want a sha-256 fingerprint (RFC 8122 §5)", o.Fingerprint)
	}
	return o, nil
}

// ptValue splits "<pt> <rest>" of rtpmap/fmtp/rtcp-fb.
func ptValue(v string) (uint8, string, bool) {
	ptStr, rest, _ := strings.Cut(v, " ")
	pt, err := strconv.Atoi(ptStr)
	if err != nil || pt < 0 || pt > 127 {
		return 0, "", false
	}
	return uint8(pt), rest, true
}
