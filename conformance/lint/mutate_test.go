package lint_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/conformance/lint"
	"github.com/plainrtc/plainrtc/internal/demux"
	"github.com/plainrtc/plainrtc/rtcp"
	"github.com/plainrtc/plainrtc/rtp"
	"github.com/plainrtc/plainrtc/srtp"
	"github.com/plainrtc/plainrtc/stun"
)

// A mutation is a corpus session (or one of its derived variants) changed
// to break one rule: its files and datagrams, edited by the test.
type mutation struct {
	t     *testing.T
	base  *conformance.Session // as loaded, read-only
	files conformance.Files
	ds    []conformance.Datagram // a copy of base.Datagrams; payloads still shared: clone before editing
}

func newMutation(t *testing.T, s *conformance.Session, variant string) *mutation {
	t.Helper()
	var (
		f   conformance.Files
		err error
	)
	base := s
	if variant == "" {
		f, err = conformance.ReadFiles(s.Dir)
	} else {
		if f, err = conformance.DeriveFiles(s, variant); err == nil {
			base, err = conformance.Derive(s, variant)
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	return &mutation{t: t, base: base, files: f, ds: slices.Clone(base.Datagrams)}
}

// lint lints the mutated session, written as a capture folder and read
// back the way rtclint reads one.
func (m *mutation) lint() []lint.Result {
	m.t.Helper()
	cap, err := conformance.AppendPcapng(nil, m.ds)
	if err != nil {
		m.t.Fatal(err)
	}
	f := m.files
	f.Capture = cap
	dir := m.t.TempDir()
	if err := f.WriteDir(dir); err != nil {
		m.t.Fatal(err)
	}
	res, _, err := lint.LintDir(dir)
	if err != nil {
		m.t.Fatalf("the mutated session does not load: %v", err)
	}
	return res
}

var severity = map[lint.Verdict]int{lint.NotApplicable: 0, lint.Pass: 1, lint.Warn: 2, lint.Violated: 3}

// expectOnly asserts that the rule is `want` in direction dir ("" for any
// direction that changed) and that no other rule or direction got worse
// than on the unmutated session: the mutation broke exactly that rule.
func expectOnly(t *testing.T, base, got []lint.Result, rule, dir string, want lint.Verdict) {
	t.Helper()
	baseOf := map[string]lint.Result{}
	for _, r := range base {
		baseOf[r.Rule+" "+r.Direction] = r
	}
	hit := false
	for _, r := range got {
		b := baseOf[r.Rule+" "+r.Direction]
		if r.Rule == rule && dir != "" && r.Direction != dir {
			continue // the same rule, broken the other way too: still that rule
		}
		if r.Rule == rule && (dir == "" || r.Direction == dir) {
			if r.Verdict == want {
				hit = true
				t.Logf("%v", r)
				if want == lint.Violated || want == lint.Warn {
					if len(r.Packets) == 0 && !strings.HasPrefix(rule, "jsep-") && !strings.HasPrefix(rule, "dtls-certificate") {
						t.Errorf("%s %s names no packet", rule, r.Direction)
					}
				}
			} else if dir != "" {
				t.Errorf("%s %s: %s (%s), want %s", rule, r.Direction, r.Verdict, r.Detail, want)
			}
			continue
		}
		if severity[r.Verdict] > severity[b.Verdict] {
			t.Errorf("the mutation also broke %s %s: %s → %s: %s", r.Rule, r.Direction, b.Verdict, r.Verdict, r.Detail)
		}
	}
	if !hit {
		t.Errorf("%s is not %s in any direction: %v", rule, want, lint.ByRule(got, rule))
	}
}

// forEachFolder runs fn on every corpus folder, with the folder's own
// lint results as the baseline.
func forEachFolder(t *testing.T, fn func(t *testing.T, s *conformance.Session, base []lint.Result)) {
	conformance.ForEachSession(t, func(t *testing.T, s *conformance.Session) {
		fn(t, s, lint.Lint(s))
	})
}

// browserDir is the direction of the browser's datagrams.
func browserDir(s *conformance.Session) string {
	if s.Roles.Browser == conformance.Offerer {
		return lint.FromOfferer
	}
	return lint.FromAnswerer
}

// find returns the index of the first datagram of class c the browser sent
// that pred accepts.
func (m *mutation) find(c demux.Class, pred func(d conformance.Datagram) bool) int {
	for i, d := range m.ds {
		if demux.Classify(d.Payload) == c && m.base.FromBrowser(d) && (pred == nil || pred(d)) {
			return i
		}
	}
	m.t.Skipf("the session has no %v datagram from the browser that the mutation needs", c)
	return -1
}

func (m *mutation) ctx(d conformance.Datagram) *srtp.Context {
	key, salt := m.base.SRTPKeys(d)
	c, err := srtp.NewContext(srtp.Profile(m.base.SRTPProfile), key, salt)
	if err != nil {
		m.t.Fatal(err)
	}
	return c
}

// reprotectRTP decrypts d (the corpus has no ROC wrap: ROC 0), lets edit
// change the clear packet and protects it again under the same index.
func (m *mutation) reprotectRTP(d conformance.Datagram, edit func(clear []byte)) []byte {
	m.t.Helper()
	clear, err := m.ctx(d).DecryptRTP(bytes.Clone(d.Payload))
	if err != nil {
		m.t.Fatalf("frame %d: %v", d.N, err)
	}
	clear = bytes.Clone(clear)
	edit(clear)
	out, err := m.ctx(d).EncryptRTP(nil, clear)
	if err != nil {
		m.t.Fatal(err)
	}
	return out
}

// reprotectRTCP does the same for SRTCP, keeping the SRTCP index.
func (m *mutation) reprotectRTCP(d conformance.Datagram, edit func(clear []byte) []byte) []byte {
	m.t.Helper()
	p := srtp.Profile(m.base.SRTPProfile)
	var trailer uint32
	if p.IsAEAD() {
		trailer = binary.BigEndian.Uint32(d.Payload[len(d.Payload)-4:])
	} else {
		trailer = binary.BigEndian.Uint32(d.Payload[len(d.Payload)-p.RTCPTagLen()-4:])
	}
	clear, err := m.ctx(d).DecryptRTCP(bytes.Clone(d.Payload))
	if err != nil {
		m.t.Fatalf("frame %d: %v", d.N, err)
	}
	clear = edit(bytes.Clone(clear))
	tx := m.ctx(d)
	tx.SetSRTCPIndex(binary.BigEndian.Uint32(clear[4:8]), trailer&^(1<<31))
	out, err := tx.EncryptRTCP(nil, clear)
	if err != nil {
		m.t.Fatal(err)
	}
	return out
}

// refingerprint recomputes a STUN message's trailing FINGERPRINT
// (RFC 8489 §14.7: CRC-32 of what precedes it, XOR 0x5354554e).
func refingerprint(b []byte) {
	binary.BigEndian.PutUint32(b[len(b)-4:], crc32.ChecksumIEEE(b[:len(b)-8])^0x5354554e)
}

func TestMutationSTUNIntegrity(t *testing.T) {
	forEachFolder(t, func(t *testing.T, s *conformance.Session, base []lint.Result) {
		m := newMutation(t, s, "")
		i := m.find(demux.STUN, func(d conformance.Datagram) bool { return d.Payload[0] == 0 && d.Payload[1] == 1 })
		var msg stun.Message
		p := bytes.Clone(m.ds[i].Payload)
		if err := msg.Unmarshal(p); err != nil {
			t.Fatal(err)
		}
		a, ok := msg.Get(stun.AttrMessageIntegrity)
		if !ok {
			t.Skip("the request has no MESSAGE-INTEGRITY")
		}
		p[a.Offset+4] ^= 0x01 // one bit of the HMAC; FINGERPRINT recomputed so only integrity breaks
		refingerprint(p)
		m.ds[i].Payload = p
		expectOnly(t, base, m.lint(), "stun-message-integrity", browserDir(s), lint.Violated)
	})
}

func TestMutationSTUNFingerprint(t *testing.T) {
	forEachFolder(t, func(t *testing.T, s *conformance.Session, base []lint.Result) {
		m := newMutation(t, s, "")
		i := m.find(demux.STUN, func(d conformance.Datagram) bool { return d.Payload[0] == 0 && d.Payload[1] == 1 })
		p := bytes.Clone(m.ds[i].Payload)
		p[len(p)-1] ^= 0x80 // the CRC itself: MESSAGE-INTEGRITY does not cover it
		m.ds[i].Payload = p
		expectOnly(t, base, m.lint(), "stun-fingerprint", browserDir(s), lint.Violated)
	})
}

// In the full-ice variant the server sends checks with ICE-CONTROLLED; one
// of them re-signed with USE-CANDIDATE added is a controlled agent
// nominating.
func TestMutationUseCandidateFromControlled(t *testing.T) {
	conformance.ForEachSession(t, func(t *testing.T, s *conformance.Session) {
		m := newMutation(t, s, "full-ice")
		base := lint.Lint(m.base)
		var msg stun.Message
		for i, d := range m.ds {
			if demux.Classify(d.Payload) != demux.STUN || m.base.FromBrowser(d) || msg.Unmarshal(d.Payload) != nil || msg.Type != stun.BindingRequest {
				continue
			}
			user, err1 := msg.Username()
			prio, err2 := msg.Priority()
			tb, err3 := msg.ICEControlled()
			if err1 != nil || err2 != nil || err3 != nil {
				continue
			}
			var b stun.Builder
			b.Reset(nil, stun.BindingRequest, msg.TransactionID)
			b.AddUsername(string(user))
			b.AddPriority(prio)
			b.AddICEControlled(tb)
			b.AddUseCandidate()
			b.AddMessageIntegrity(stun.NewShortTermIntegrity(m.base.STUNPassword(d, true)))
			b.AddFingerprint()
			out, err := b.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			m.ds[i].Payload = out
			side, _ := m.base.Roles.Sender(d)
			dir := lint.FromOfferer
			if side == conformance.Answerer {
				dir = lint.FromAnswerer
			}
			expectOnly(t, base, m.lint(), "ice-use-candidate-controlling", dir, lint.Violated)
			return
		}
		t.Skip("no check from the server in the full-ice variant")
	})
}

// Every datagram after the middle of the session moved 35 s later: the
// browser sends media more than 30 s after its last answered check.
func TestMutationConsentExpired(t *testing.T) {
	forEachFolder(t, func(t *testing.T, s *conformance.Session, base []lint.Result) {
		m := newMutation(t, s, "")
		mid := len(m.ds) / 2
		for i := mid; i < len(m.ds); i++ {
			m.ds[i].Time = m.ds[i].Time.Add(35 * time.Second)
		}
		expectOnly(t, base, m.lint(), "ice-consent-pace", browserDir(s), lint.Violated)
	})
}

func TestMutationSetupRole(t *testing.T) {
	forEachFolder(t, func(t *testing.T, s *conformance.Session, base []lint.Result) {
		m := newMutation(t, s, "")
		if !bytes.Contains(m.files.Answer, []byte("a=setup:active")) {
			t.Skip("the answer does not say a=setup:active")
		}
		m.files.Answer = bytes.ReplaceAll(m.files.Answer, []byte("a=setup:active"), []byte("a=setup:passive"))
		expectOnly(t, base, m.lint(), "dtls-role-matches-setup", lint.WholeSession, lint.Violated)
	})
}

func TestMutationCertificateFingerprint(t *testing.T) {
	forEachFolder(t, func(t *testing.T, s *conformance.Session, base []lint.Result) {
		m := newMutation(t, s, "")
		var out []string
		for _, l := range strings.SplitAfter(string(m.files.Offer), "\n") {
			if strings.HasPrefix(l, "a=fingerprint:") {
				// The last hex digit before the line end, changed.
				b := []byte(l)
				j := len(strings.TrimRight(l, "\r\n")) - 1
				if b[j] == '0' {
					b[j] = '1'
				} else {
					b[j] = '0'
				}
				l = string(b)
			}
			out = append(out, l)
		}
		m.files.Offer = []byte(strings.Join(out, ""))
		expectOnly(t, base, m.lint(), "dtls-certificate-fingerprint", lint.FromOfferer, lint.Violated)
	})
}

// The chosen profile removed from every ClientHello's use_srtp list
// (replaced by an unassigned id): the server picked what was not offered.
func TestMutationSRTPProfileNotOffered(t *testing.T) {
	forEachFolder(t, func(t *testing.T, s *conformance.Session, base []lint.Result) {
		m := newMutation(t, s, "")
		changed := 0
		for i, d := range m.ds {
			if demux.Classify(d.Payload) != demux.DTLS {
				continue
			}
			p := bytes.Clone(d.Payload)
			for rest := p; len(rest) > 0; {
				rec, next, err := conformance.NextDTLSRecord(rest)
				if err != nil {
					break
				}
				rest = next
				if rec.ContentType != conformance.DTLSHandshake || rec.Epoch != 0 {
					continue
				}
				frag, _, err := conformance.NextDTLSHandshake(rec.Fragment)
				if err != nil || frag.Type != conformance.HandshakeClientHello || !frag.Complete() {
					continue
				}
				ch, err := conformance.ParseClientHello(frag.Body)
				if err != nil {
					t.Fatal(err)
				}
				ext, ok, err := conformance.FindExtension(ch.Extensions, conformance.ExtensionUseSRTP)
				if err != nil || !ok {
					continue
				}
				u, err := conformance.ParseUseSRTP(ext)
				if err != nil {
					t.Fatal(err)
				}
				for k := range u.NumProfiles() {
					if u.Profile(k) == s.SRTPProfile {
						binary.BigEndian.PutUint16(u.Profiles[2*k:], 0x00ff) // aliases p
						changed++
					}
				}
			}
			m.ds[i].Payload = p
		}
		if changed == 0 {
			t.Fatal("no ClientHello offered the chosen profile")
		}
		expectOnly(t, base, m.lint(), "dtls-srtp-profile-offered", lint.WholeSession, lint.Violated)
	})
}

func TestMutationSRTPAuth(t *testing.T) {
	forEachFolder(t, func(t *testing.T, s *conformance.Session, base []lint.Result) {
		m := newMutation(t, s, "")
		i := m.find(demux.RTP, func(d conformance.Datagram) bool { return len(d.Payload) > 60 })
		p := bytes.Clone(m.ds[i].Payload)
		p[len(p)/2] ^= 0x01
		m.ds[i].Payload = p
		expectOnly(t, base, m.lint(), "srtp-authenticates", browserDir(s), lint.Violated)
	})
}

func TestMutationSRTCPAuth(t *testing.T) {
	forEachFolder(t, func(t *testing.T, s *conformance.Session, base []lint.Result) {
		m := newMutation(t, s, "")
		i := m.find(demux.RTCP, nil)
		p := bytes.Clone(m.ds[i].Payload)
		p[9] ^= 0x01
		m.ds[i].Payload = p
		expectOnly(t, base, m.lint(), "srtcp-authenticates", browserDir(s), lint.Violated)
	})
}

// A browser packet protected again under its own index with one payload
// byte changed, sent right after the original: keystream reuse.
func TestMutationIndexReuse(t *testing.T) {
	forEachFolder(t, func(t *testing.T, s *conformance.Session, base []lint.Result) {
		m := newMutation(t, s, "")
		i := m.find(demux.RTP, func(d conformance.Datagram) bool { return len(d.Payload) > 60 })
		d := m.ds[i]
		re := m.reprotectRTP(d, func(clear []byte) { clear[len(clear)-1] ^= 0x55 })
		extra := conformance.Datagram{Time: d.Time.Add(time.Microsecond), Src: d.Src, Dst: d.Dst, Payload: re}
		m.ds = slices.Insert(m.ds, i+1, extra)
		got := m.lint()
		expectOnly(t, base, got, "srtp-index-reuse", browserDir(s), lint.Violated)
		for _, r := range lint.ByRule(got, "srtp-index-reuse") {
			if r.Direction == browserDir(s) && !strings.Contains(r.Detail, "replay") {
				t.Errorf("the detail does not say receivers drop it as a replay: %s", r.Detail)
			}
		}
	})
}

// The same for SRTCP: an SR/RR compound re-protected under its SRTCP index
// with a changed byte.
func TestMutationSRTCPIndexReuse(t *testing.T) {
	forEachFolder(t, func(t *testing.T, s *conformance.Session, base []lint.Result) {
		m := newMutation(t, s, "")
		// A compound longer than one header and SSRC, so the changed last
		// byte is not the SSRC the index belongs to (Firefox sends
		// 8-byte BYEs).
		overhead := srtp.Profile(s.SRTPProfile).RTCPTagLen() + 4
		i := m.find(demux.RTCP, func(d conformance.Datagram) bool { return len(d.Payload)-overhead > 8 })
		d := m.ds[i]
		re := m.reprotectRTCP(d, func(clear []byte) []byte { clear[len(clear)-1] ^= 0x01; return clear })
		m.ds = slices.Insert(m.ds, i+1, conformance.Datagram{Time: d.Time.Add(time.Microsecond), Src: d.Src, Dst: d.Dst, Payload: re})
		expectOnly(t, base, m.lint(), "srtp-index-reuse", browserDir(s), lint.Violated)
	})
}

func TestMutationExactDuplicate(t *testing.T) {
	forEachFolder(t, func(t *testing.T, s *conformance.Session, base []lint.Result) {
		m := newMutation(t, s, "")
		i := m.find(demux.RTP, nil)
		d := m.ds[i]
		d.Time = d.Time.Add(time.Microsecond)
		m.ds = slices.Insert(m.ds, i+1, d)
		expectOnly(t, base, m.lint(), "srtp-duplicate", browserDir(s), lint.Warn)
	})
}

// rewriteWrap renumbers the browser's busiest SSRC so that its sequence
// number wraps in the middle of the capture, protecting each packet again:
// keepROC uses one sending context (the ROC increments at the wrap, RFC
// 3711 §3.3.1), otherwise a fresh context per packet (ROC stuck at 0).
func rewriteWrap(t *testing.T, m *mutation, keepROC bool) {
	counts := map[uint32]int{}
	for _, d := range m.ds {
		if demux.Classify(d.Payload) == demux.RTP && m.base.FromBrowser(d) {
			counts[binary.BigEndian.Uint32(d.Payload[8:12])]++
		}
	}
	var ssrc uint32
	for k, n := range counts {
		if n > counts[ssrc] {
			ssrc = k
		}
	}
	if counts[ssrc] < 20 {
		t.Skipf("no browser SSRC with 20 packets (%v)", counts)
	}
	var idx []int
	for i, d := range m.ds {
		if demux.Classify(d.Payload) == demux.RTP && m.base.FromBrowser(d) && binary.BigEndian.Uint32(d.Payload[8:12]) == ssrc {
			idx = append(idx, i)
		}
	}
	rx := m.ctx(m.ds[idx[0]])
	tx := m.ctx(m.ds[idx[0]])
	midSeq := binary.BigEndian.Uint16(m.ds[idx[len(idx)/2]].Payload[2:4])
	shift := uint16(0) - midSeq
	for _, i := range idx {
		d := m.ds[i]
		clear, err := rx.DecryptRTP(bytes.Clone(d.Payload))
		if err != nil {
			t.Fatalf("frame %d: %v", d.N, err)
		}
		clear = bytes.Clone(clear)
		binary.BigEndian.PutUint16(clear[2:4], binary.BigEndian.Uint16(clear[2:4])+shift)
		c := tx
		if !keepROC {
			c = m.ctx(d)
		}
		out, err := c.EncryptRTP(nil, clear)
		if err != nil {
			t.Fatal(err)
		}
		m.ds[i].Payload = out
	}
}

func TestMutationROCRollover(t *testing.T) {
	forEachFolder(t, func(t *testing.T, s *conformance.Session, base []lint.Result) {
		t.Run("kept", func(t *testing.T) {
			m := newMutation(t, s, "")
			rewriteWrap(t, m, true)
			got := m.lint()
			expectOnly(t, base, got, "srtp-roc-rollover", browserDir(s), lint.Pass)
		})
		t.Run("not-incremented", func(t *testing.T) {
			m := newMutation(t, s, "")
			rewriteWrap(t, m, false)
			expectOnly(t, base, m.lint(), "srtp-roc-rollover", browserDir(s), lint.Violated)
		})
		// A stream whose sender starts its rollover counter at 1: a
		// DTLS-SRTP receiver starts at 0 (RFC 3711 §3.3.1) and cannot
		// authenticate it.
		t.Run("starts-at-1", func(t *testing.T) {
			m := newMutation(t, s, "")
			i := m.find(demux.RTP, nil)
			ssrc := binary.BigEndian.Uint32(m.ds[i].Payload[8:12])
			rx, tx := m.ctx(m.ds[i]), m.ctx(m.ds[i])
			tx.SetROC(ssrc, 1)
			for j, d := range m.ds {
				if demux.Classify(d.Payload) != demux.RTP || !m.base.FromBrowser(d) || binary.BigEndian.Uint32(d.Payload[8:12]) != ssrc {
					continue
				}
				clear, err := rx.DecryptRTP(bytes.Clone(d.Payload))
				if err != nil {
					t.Fatalf("frame %d: %v", d.N, err)
				}
				out, err := tx.EncryptRTP(nil, bytes.Clone(clear))
				if err != nil {
					t.Fatal(err)
				}
				m.ds[j].Payload = out
			}
			expectOnly(t, base, m.lint(), "srtp-roc-rollover", browserDir(s), lint.Violated)
		})
	})
}

func TestMutationPayloadType(t *testing.T) {
	forEachFolder(t, func(t *testing.T, s *conformance.Session, base []lint.Result) {
		m := newMutation(t, s, "")
		used := map[int]bool{}
		for _, l := range strings.Split(string(m.files.Answer), "\n") {
			if strings.HasPrefix(l, "m=") {
				for _, f := range strings.Fields(l)[3:] {
					if v, err := strconv.Atoi(f); err == nil {
						used[v] = true
					}
				}
			}
		}
		pt := 20
		for used[pt] {
			pt++
		}
		i := m.find(demux.RTP, nil)
		m.ds[i].Payload = m.reprotectRTP(m.ds[i], func(clear []byte) { clear[1] = clear[1]&0x80 | byte(pt) })
		expectOnly(t, base, m.lint(), "rtp-payload-type", browserDir(s), lint.Violated)
	})
}

// setFirstExtensionID re-protects the browser's first packet with
// one-byte header extensions with its first element's id set to id.
func setFirstExtensionID(t *testing.T, m *mutation, id byte) {
	i := m.find(demux.RTP, func(d conformance.Datagram) bool {
		var h rtp.Header
		_, err := h.Unmarshal(d.Payload)
		return err == nil && h.Extension && h.ExtensionProfile == 0xbede
	})
	m.ds[i].Payload = m.reprotectRTP(m.ds[i], func(clear []byte) {
		var h rtp.Header
		if _, err := h.Unmarshal(clear); err != nil {
			t.Fatal(err)
		}
		it := h.Extensions()
		e, ok := it.Next()
		if !ok {
			t.Fatal("no element")
		}
		clear[e.ElementOffset] = id<<4 | clear[e.ElementOffset]&0x0f
	})
}

func TestMutationHeaderExtensionID(t *testing.T) {
	forEachFolder(t, func(t *testing.T, s *conformance.Session, base []lint.Result) {
		t.Run("not-negotiated", func(t *testing.T) {
			m := newMutation(t, s, "")
			used := map[int]bool{}
			answers := []string{string(m.files.Answer)}
			for _, x := range m.files.Exchanges { // ids a renegotiation added
				answers = append(answers, string(x.Answer))
			}
			for _, l := range strings.Split(strings.Join(answers, "\n"), "\n") {
				if v, ok := strings.CutPrefix(l, "a=extmap:"); ok {
					idText, _, _ := strings.Cut(strings.Fields(v)[0], "/")
					if id, err := strconv.Atoi(idText); err == nil {
						used[id] = true
					}
				}
			}
			free := 0
			for id := 1; id <= 14 && free == 0; id++ {
				if !used[id] {
					free = id
				}
			}
			if free == 0 {
				t.Skip("every one-byte id 1-14 is negotiated")
			}
			setFirstExtensionID(t, m, byte(free))
			expectOnly(t, base, m.lint(), "rtp-header-extension-id", browserDir(s), lint.Violated)
		})
		// One-byte id 15 is reserved (RFC 8285 §4.2): a reader stops there.
		t.Run("id-15", func(t *testing.T) {
			m := newMutation(t, s, "")
			setFirstExtensionID(t, m, 15)
			got := m.lint()
			expectOnly(t, base, got, "rtp-header-extension-id", browserDir(s), lint.Violated)
			for _, r := range lint.ByRule(got, "rtp-header-extension-id") {
				if r.Direction == browserDir(s) && !strings.Contains(r.Detail, "id 15") {
					t.Errorf("the detail does not name id 15: %s", r.Detail)
				}
			}
		})
	})
}

// a=rtcp-rsize removed from both descriptions: the browser's compounds
// that begin with feedback are no longer allowed.
func TestMutationRTCPReducedSizeNotNegotiated(t *testing.T) {
	forEachFolder(t, func(t *testing.T, s *conformance.Session, base []lint.Result) {
		m := newMutation(t, s, "")
		reduced := false
		for _, d := range m.ds {
			if demux.Classify(d.Payload) != demux.RTCP || !m.base.FromBrowser(d) {
				continue
			}
			clear, err := m.ctx(d).DecryptRTCP(bytes.Clone(d.Payload))
			if err == nil && clear[1] != byte(rtcp.TypeSenderReport) && clear[1] != byte(rtcp.TypeReceiverReport) {
				reduced = true
				break
			}
		}
		if !reduced {
			t.Skip("every compound of the browser starts with SR or RR")
		}
		sdps := []*[]byte{&m.files.Offer, &m.files.Answer}
		for i := range m.files.Exchanges { // renegotiations negotiate it too
			sdps = append(sdps, &m.files.Exchanges[i].Offer, &m.files.Exchanges[i].Answer)
		}
		for _, f := range sdps {
			*f = bytes.ReplaceAll(*f, []byte("a=rtcp-rsize\r\n"), nil)
		}
		expectOnly(t, base, m.lint(), "rtcp-compound-starts-sr-rr", browserDir(s), lint.Violated)
	})
}

// The RTP timestamp of the browser's second SR of an SSRC set before its
// first one's.
func TestMutationSRTimestampBackwards(t *testing.T) {
	forEachFolder(t, func(t *testing.T, s *conformance.Session, base []lint.Result) {
		m := newMutation(t, s, "")
		first := map[uint32]uint32{}
		for i, d := range m.ds {
			if demux.Classify(d.Payload) != demux.RTCP || !m.base.FromBrowser(d) {
				continue
			}
			clear, err := m.ctx(d).DecryptRTCP(bytes.Clone(d.Payload))
			if err != nil || clear[1] != byte(rtcp.TypeSenderReport) {
				continue
			}
			ssrc, ts := binary.BigEndian.Uint32(clear[4:8]), binary.BigEndian.Uint32(clear[16:20])
			prev, ok := first[ssrc]
			if !ok {
				first[ssrc] = ts
				continue
			}
			m.ds[i].Payload = m.reprotectRTCP(d, func(c []byte) []byte {
				binary.BigEndian.PutUint32(c[16:20], prev-48000)
				return c
			})
			expectOnly(t, base, m.lint(), "rtcp-sr-monotonic", browserDir(s), lint.Violated)
			return
		}
		t.Skip("the browser sent no two SRs of one SSRC")
	})
}

// swapSections exchanges the first two m= sections of an SDP.
func swapSections(b []byte) []byte {
	parts := strings.Split(string(b), "\r\nm=")
	if len(parts) < 3 {
		return b
	}
	parts[1], parts[2] = parts[2], parts[1]
	if strings.HasSuffix(parts[1], "\r\n") && !strings.HasSuffix(parts[2], "\r\n") {
		// The old last section (now first) kept the file's final CRLF,
		// which belongs at the end of the new last one.
		parts[1], parts[2] = strings.TrimSuffix(parts[1], "\r\n"), parts[2]+"\r\n"
	}
	return []byte(strings.Join(parts, "\r\nm="))
}

func TestMutationJSEPMLineOrder(t *testing.T) {
	forEachFolder(t, func(t *testing.T, s *conformance.Session, base []lint.Result) {
		m := newMutation(t, s, "")
		if bytes.Count(m.files.Answer, []byte("\r\nm=")) < 2 {
			t.Skip("fewer than two m= sections in the answer: no order to break")
		}
		m.files.Answer = swapSections(m.files.Answer)
		expectOnly(t, base, m.lint(), "jsep-answer-mline-order", lint.WholeSession, lint.Violated)
	})
}

func TestMutationJSEPBundle(t *testing.T) {
	forEachFolder(t, func(t *testing.T, s *conformance.Session, base []lint.Result) {
		m := newMutation(t, s, "")
		if !bytes.Contains(m.files.Answer, []byte("a=group:BUNDLE ")) {
			t.Skip("no BUNDLE group in the answer")
		}
		m.files.Answer = bytes.Replace(m.files.Answer, []byte("a=group:BUNDLE "), []byte("a=group:BUNDLE 99 "), 1)
		expectOnly(t, base, m.lint(), "jsep-answer-bundle", lint.WholeSession, lint.Violated)
	})
}

func TestMutationJSEPRTCPMux(t *testing.T) {
	forEachFolder(t, func(t *testing.T, s *conformance.Session, base []lint.Result) {
		m := newMutation(t, s, "")
		if !bytes.Contains(m.files.Answer, []byte("a=rtcp-mux\r\n")) {
			t.Skip("no a=rtcp-mux in the answer (no RTP section)")
		}
		m.files.Answer = bytes.ReplaceAll(m.files.Answer, []byte("a=rtcp-mux\r\n"), nil)
		expectOnly(t, base, m.lint(), "jsep-answer-rtcp-mux", lint.WholeSession, lint.Violated)
	})
}

func TestMutationJSEPSetupValue(t *testing.T) {
	forEachFolder(t, func(t *testing.T, s *conformance.Session, base []lint.Result) {
		m := newMutation(t, s, "")
		m.files.Offer = bytes.ReplaceAll(m.files.Offer, []byte("a=setup:actpass"), []byte("a=setup:passive"))
		expectOnly(t, base, m.lint(), "jsep-setup-values", lint.WholeSession, lint.Violated)
	})
}
