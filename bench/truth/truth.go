// Package truth computes a corpus folder's truth.json with tools
// independent of plainrtc: tshark frames the capture (every UDP datagram,
// its addresses and payload, and the DTLS hellos: randoms, cipher suite,
// use_srtp profile), and pion decodes it (pion/stun verifies
// MESSAGE-INTEGRITY and FINGERPRINT, pion/sdp reads the ICE passwords,
// pion/dtls's TLS 1.2 P_hash runs the RFC 5705 exporter, pion/srtp
// authenticates and decrypts SRTP/SRTCP, pion/rtp and pion/rtcp parse the
// clear packets). Nothing here imports plainrtc: the suites compare
// plainrtc's own decoding with these counts.
//
// cmd/truth writes truth.json for a folder; truth_test.go checks that
// every committed truth.json equals what Compute gives.
package truth

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/pion/dtls/v3/pkg/crypto/prf"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/sdp/v3"
	"github.com/pion/srtp/v3"
	"github.com/pion/stun/v3"
)

// Truth is truth.json (the same fields as conformance.Truth).
type Truth struct {
	Counts         Counts         `json:"counts"`
	DTLSClientPort string         `json:"dtls_client_port"`
	RTCPTypes      map[string]int `json:"rtcp_types"`
	RTPStreams     map[string]int `json:"rtp_streams"`
	SRTPProfile    string         `json:"srtp_profile"`
	STUNTypes      map[string]int `json:"stun_types"`
}

// Counts is truth.json's "counts".
type Counts struct {
	Datagrams         int `json:"datagrams"`
	DTLS              int `json:"dtls"`
	SRTCP             int `json:"srtcp"`
	SRTCPOK           int `json:"srtcp_ok"`
	SRTP              int `json:"srtp"`
	SRTPOK            int `json:"srtp_ok"`
	STUN              int `json:"stun"`
	STUNFingerprintOK int `json:"stun_fingerprint_ok"`
	STUNIntegrityOK   int `json:"stun_integrity_ok"`
}

// Marshal is the file's bytes: two-space indentation, keys sorted, a
// final newline.
func (t *Truth) Marshal() ([]byte, error) {
	b, err := json.MarshalIndent(t, "", "  ")
	return append(b, '\n'), err
}

// datagram is one UDP datagram as tshark frames it.
type datagram struct {
	frame    int
	src, dst string // "ip:port"
	payload  []byte
}

// hello is what tshark dissects from a DTLS ClientHello or ServerHello.
type hello struct {
	frame       int
	src         string
	typ         int // 1 ClientHello, 2 ServerHello
	random      []byte
	cipherSuite uint16
	profile     uint16
}

// Compute reads dir's capture (session.pcapng or session.pcap), offer.sdp,
// answer.sdp and keylog.txt and returns its truth. tshark is the program
// to run ("tshark" from PATH if empty).
func Compute(dir, tshark string) (*Truth, error) {
	if tshark == "" {
		tshark = "tshark"
	}
	capture := filepath.Join(dir, "session.pcapng")
	if _, err := os.Stat(capture); err != nil {
		capture = filepath.Join(dir, "session.pcap")
	}
	ds, err := readDatagrams(tshark, capture)
	if err != nil {
		return nil, err
	}
	hellos, err := readHellos(tshark, capture)
	if err != nil {
		return nil, err
	}
	pwds := map[string]string{} // ufrag → ice-pwd
	// Later exchanges (offer-2.sdp, answer-2.sdp, …) bring an ICE
	// restart's credentials.
	later, _ := filepath.Glob(filepath.Join(dir, "*-[0-9]*.sdp"))
	for _, f := range append([]string{filepath.Join(dir, "offer.sdp"), filepath.Join(dir, "answer.sdp")}, later...) {
		if err := readICE(f, pwds); err != nil {
			return nil, err
		}
	}
	keylog, err := os.ReadFile(filepath.Join(dir, "keylog.txt"))
	if err != nil {
		return nil, err
	}
	t := &Truth{RTCPTypes: map[string]int{}, RTPStreams: map[string]int{}, STUNTypes: map[string]int{}}
	t.Counts.Datagrams = len(ds)

	// The association's hellos: the last ClientHello before the first
	// ServerHello (a HelloVerifyRequest makes the client send it twice).
	var ch, sh *hello
	for i := range hellos {
		h := &hellos[i]
		if h.typ == 1 && sh == nil {
			ch = h
		}
		if h.typ == 2 && sh == nil {
			sh = h
		}
	}
	if ch == nil || sh == nil {
		return nil, errors.New("truth: tshark found no ClientHello/ServerHello")
	}
	_, port, _ := strings.Cut(ch.src, "]:")
	if !strings.Contains(ch.src, "]:") {
		port = ch.src[strings.LastIndexByte(ch.src, ':')+1:]
	}
	t.DTLSClientPort = port
	profile := srtp.ProtectionProfile(sh.profile)
	t.SRTPProfile = profileName(profile)
	client, server, err := srtpContexts(keylog, ch, sh, profile)
	if err != nil {
		return nil, err
	}

	requestPwd := map[[12]byte]string{}
	for _, d := range ds {
		if len(d.payload) == 0 {
			continue
		}
		switch b := d.payload[0]; {
		case b <= 3: // RFC 7983: STUN
			t.Counts.STUN++
			stunCounts(t, d.payload, pwds, requestPwd)
		case b >= 20 && b <= 63:
			t.Counts.DTLS++
		case b >= 128 && b <= 191:
			ctx := server
			if d.src == ch.src {
				ctx = client
			}
			if len(d.payload) >= 2 && d.payload[1]&0x7f >= 64 && d.payload[1]&0x7f <= 95 { // RFC 5761 §4
				t.Counts.SRTCP++
				var h rtcp.Header
				if err := h.Unmarshal(d.payload); err != nil {
					continue
				}
				clear, err := ctx.DecryptRTCP(nil, d.payload, &h)
				if err != nil {
					continue
				}
				t.Counts.SRTCPOK++
				if pkts, err := rtcp.Unmarshal(clear); err == nil {
					for _, p := range pkts {
						t.RTCPTypes[fmt.Sprintf("%T", p)]++
					}
				}
				continue
			}
			t.Counts.SRTP++
			var h rtp.Header
			if _, err := h.Unmarshal(d.payload); err != nil {
				continue
			}
			if _, err := ctx.DecryptRTP(nil, d.payload, &h); err != nil {
				continue
			}
			t.Counts.SRTPOK++
			t.RTPStreams[fmt.Sprintf("%d/pt%d", h.SSRC, h.PayloadType)]++
		}
	}
	return t, nil
}

// stunCounts verifies one STUN message with pion/stun: a request with the
// password of the ufrag before USERNAME's colon (the receiver's, RFC 8445
// §7.2.2), a response with the password its request used.
func stunCounts(t *Truth, b []byte, pwds map[string]string, requestPwd map[[12]byte]string) {
	m := &stun.Message{Raw: append([]byte(nil), b...)}
	if err := m.Decode(); err != nil {
		return
	}
	t.STUNTypes[m.Type.String()]++
	if stun.Fingerprint.Check(m) == nil {
		t.Counts.STUNFingerprintOK++
	}
	var pwd string
	if m.Type.Class == stun.ClassRequest {
		var u stun.Username
		if u.GetFrom(m) == nil {
			recv, _, _ := strings.Cut(u.String(), ":")
			pwd = pwds[recv]
			requestPwd[m.TransactionID] = pwd
		}
	} else {
		pwd = requestPwd[m.TransactionID]
	}
	if pwd != "" && stun.NewShortTermIntegrity(pwd).Check(m) == nil {
		t.Counts.STUNIntegrityOK++
	}
}

// srtpContexts runs the RFC 5705 exporter (label EXTRACTOR-dtls_srtp, no
// context) over the master secret the key log holds for the ClientHello's
// random, splits it per RFC 5764 §4.2 and makes pion/srtp contexts for what
// the DTLS client and server send.
func srtpContexts(keylog []byte, ch, sh *hello, profile srtp.ProtectionProfile) (client, server *srtp.Context, err error) {
	var master []byte
	sc := bufio.NewScanner(bytes.NewReader(keylog))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 3 && f[0] == "CLIENT_RANDOM" && strings.EqualFold(f[1], hex.EncodeToString(ch.random)) {
			if master, err = hex.DecodeString(f[2]); err != nil {
				return nil, nil, err
			}
		}
	}
	if master == nil {
		return nil, nil, fmt.Errorf("truth: key log has no CLIENT_RANDOM %x", ch.random)
	}
	kl, err := profile.KeyLen()
	if err != nil {
		return nil, nil, err
	}
	sl, err := profile.SaltLen()
	if err != nil {
		return nil, nil, err
	}
	h := func() hash.Hash { return sha256.New() }
	if strings.Contains(tls.CipherSuiteName(sh.cipherSuite), "SHA384") {
		h = func() hash.Hash { return sha512.New384() }
	}
	seed := append(append([]byte("EXTRACTOR-dtls_srtp"), ch.random...), sh.random...)
	km, err := prf.PHash(master, seed, 2*(kl+sl), h)
	if err != nil {
		return nil, nil, err
	}
	ck, sk, cs, ss := km[:kl], km[kl:2*kl], km[2*kl:2*kl+sl], km[2*kl+sl:]
	if client, err = srtp.CreateContext(ck, cs, profile); err != nil {
		return nil, nil, err
	}
	server, err = srtp.CreateContext(sk, ss, profile)
	return client, server, err
}

func profileName(p srtp.ProtectionProfile) string {
	switch p {
	case srtp.ProtectionProfileAes128CmHmacSha1_80:
		return "SRTP_AES128_CM_HMAC_SHA1_80"
	case srtp.ProtectionProfileAes128CmHmacSha1_32:
		return "SRTP_AES128_CM_HMAC_SHA1_32"
	case srtp.ProtectionProfileAeadAes128Gcm:
		return "SRTP_AEAD_AES_128_GCM"
	case srtp.ProtectionProfileAeadAes256Gcm:
		return "SRTP_AEAD_AES_256_GCM"
	}
	return fmt.Sprintf("0x%04x", uint16(p))
}

// readICE adds an SDP's ufrag → password pairs (session and media level).
func readICE(path string, pwds map[string]string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var s sdp.SessionDescription
	if err := s.Unmarshal(b); err != nil {
		return fmt.Errorf("truth: %s: %w", path, err)
	}
	if u, ok := s.Attribute("ice-ufrag"); ok {
		pwds[u], _ = s.Attribute("ice-pwd")
	}
	for _, m := range s.MediaDescriptions {
		if u, ok := m.Attribute("ice-ufrag"); ok {
			pwds[u], _ = m.Attribute("ice-pwd")
		}
	}
	return nil
}

// runTshark returns tshark's -T fields output, one slice of fields per frame.
func runTshark(tshark, capture, filter string, fields ...string) ([][]string, error) {
	args := []string{"-n", "-r", capture, "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,"}
	if filter != "" {
		args = append(args, "-Y", filter)
	}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	cmd := exec.Command(tshark, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("truth: tshark: %v: %s", err, stderr.String())
	}
	var rows [][]string
	for _, line := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
		if line == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != len(fields) {
			return nil, fmt.Errorf("truth: tshark line %q has %d fields, want %d", line, len(f), len(fields))
		}
		rows = append(rows, f)
	}
	return rows, nil
}

// readDatagrams frames every UDP datagram with tshark (IP fragments
// reassembled by tshark; ICMP-quoted UDP headers are not datagrams).
func readDatagrams(tshark, capture string) ([]datagram, error) {
	rows, err := runTshark(tshark, capture, "udp && !icmp && !icmpv6",
		"frame.number", "ip.src", "ipv6.src", "udp.srcport", "ip.dst", "ipv6.dst", "udp.dstport", "udp.payload")
	if err != nil {
		return nil, err
	}
	var ds []datagram
	for _, r := range rows {
		n, err := strconv.Atoi(r[0])
		if err != nil {
			return nil, fmt.Errorf("truth: frame number %q", r[0])
		}
		payload, err := hex.DecodeString(strings.ReplaceAll(r[7], ":", ""))
		if err != nil {
			return nil, fmt.Errorf("truth: frame %d payload: %w", n, err)
		}
		ds = append(ds, datagram{frame: n, src: hostPort(r[1], r[2], r[3]), dst: hostPort(r[4], r[5], r[6]), payload: payload})
	}
	return ds, nil
}

func hostPort(v4, v6, port string) string {
	if v4 != "" {
		return v4 + ":" + port
	}
	return "[" + v6 + "]:" + port
}

// readHellos has tshark's DTLS dissector find the ClientHellos and
// ServerHellos, with their randoms, cipher suites and use_srtp profiles.
func readHellos(tshark, capture string) ([]hello, error) {
	rows, err := runTshark(tshark, capture, "dtls.handshake.type == 1 || dtls.handshake.type == 2",
		"frame.number", "ip.src", "ipv6.src", "udp.srcport", "dtls.handshake.type", "dtls.handshake.random",
		"dtls.handshake.ciphersuite", "dtls.use_srtp.protection_profile")
	if err != nil {
		return nil, err
	}
	var hs []hello
	for _, r := range rows {
		n, _ := strconv.Atoi(r[0])
		types := strings.Split(r[4], ",")
		randoms := strings.Split(r[5], ",")
		for i, typ := range types {
			if (typ != "1" && typ != "2") || i >= len(randoms) {
				continue
			}
			h := hello{frame: n, src: hostPort(r[1], r[2], r[3])}
			h.typ, _ = strconv.Atoi(typ)
			if h.random, err = hex.DecodeString(strings.ReplaceAll(randoms[i], ":", "")); err != nil || len(h.random) != 32 {
				return nil, fmt.Errorf("truth: frame %d: random %q", n, randoms[i])
			}
			if h.typ == 2 {
				cs, err1 := strconv.ParseUint(firstField(r[6]), 0, 16)
				pr, err2 := strconv.ParseUint(firstField(r[7]), 0, 16)
				if err1 != nil || err2 != nil {
					return nil, fmt.Errorf("truth: frame %d: ServerHello cipher suite %q, use_srtp %q", n, r[6], r[7])
				}
				h.cipherSuite, h.profile = uint16(cs), uint16(pr)
			}
			hs = append(hs, h)
		}
	}
	return hs, nil
}

func firstField(s string) string {
	f, _, _ := strings.Cut(s, ",")
	return f
}
