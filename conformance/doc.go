// Package conformance loads the captured browser sessions of the corpus and
// derives from them what packet-level tests need: the UDP datagrams, who
// did what (Roles: offerer and answerer, ICE lite or full, who checks and
// who controls, the DTLS client, the media each side sends, which side is
// the browser), both sides' ICE credentials and addresses, and the SRTP
// master keys. README.md beside this file lists the sessions, the rules
// each suite checks, and how to add a session.
//
// # The corpus
//
// testdata/corpus/<name>/ is one WebRTC session between a real browser and
// another peer (see testdata/corpus/README.md):
//
//	session.pcapng  every UDP datagram on one peer's ports (or session.pcap)
//	offer.sdp       the offer, exactly as sent
//	answer.sdp      the answer
//	offer-N.sdp     optional, N = 2, 3, …: later exchanges in order (renegotiations,
//	answer-N.sdp    ICE restarts; either side may offer): Session.Exchanges
//	keylog.txt      DTLS master secret, NSS key log format
//	meta.json       optional: what else is known ("browser": "offerer"/"answerer")
//	truth.json      optional: counts computed by independent tools (see Truth, bench/truth)
//
// Tests of any package run over every folder with ForEachSession, and over
// every derived variant of every folder (Variants: audio only, data
// channel only, browser as answerer, DTLS roles swapped, full ICE) with
// ForEachDerived, from an external test package:
//
//	func check(t *testing.T, s *conformance.Session) { for _, d := range s.Datagrams { ... } }
//	func TestCorpus(t *testing.T)        { conformance.ForEachSession(t, check) }
//	func TestCorpusDerived(t *testing.T) { conformance.ForEachDerived(t, check) }
//
// Each folder and variant is loaded once per test binary; the *Session is
// shared and must not be modified. Sessions lists the folders; Load reads
// one, LoadFiles builds one from bytes, Derive makes a variant.
//
// # Adding a capture
//
// Make a new folder under testdata/corpus with the files above. Record
// with dumpcap on one peer's port, log DTLS keys in NSS format
// (SSLKEYLOGFILE), and compute truth.json with bench/cmd/truth (tshark and
// pion, independent of this project). Every package's corpus test then
// covers it and its variants; Load fails loudly if a file is missing, the
// capture is malformed, no Binding request with the SDPs' ufrags or no
// DTLS hello is found, or the key log lacks the client random.
//
// # What each step implements
//
//   - Capture reading (ReadCapture, ParseCapture): pcapng
//     (draft-ietf-opsawg-pcapng: sections of either byte order, several
//     interfaces, if_tsresol and if_tsoffset, Enhanced, Simple and obsolete
//     Packet Blocks) and classic pcap (both byte orders, micro- and
//     nanosecond magic); link types Ethernet with 802.1Q/802.1ad tags, Linux
//     cooked SLL and SLL2, raw IP (12, 14, 101, 228, 229) and BSD
//     loopback/NULL (0, 108); IPv4 (RFC 791) and IPv6 (RFC 8200, extension
//     headers skipped); UDP (RFC 768). Fragments are not reassembled; they
//     and every non-UDP frame are skipped and listed in CaptureStats.
//     Frames are numbered as Wireshark numbers them.
//   - Demultiplexing: internal/demux, RFC 7983 §7 as updated by RFC 9443.
//   - Roles (DeriveRoles): sides by the USERNAME of Binding requests
//     ("receiver:sender", RFC 8445 §7.2.2) and by address; lite or full by
//     a=ice-lite (RFC 8839 §5.3); the controlling side by ICE-CONTROLLING
//     (§7.1.3); the DTLS client by the ClientHello's source, cross-checked
//     with a=setup (RFC 8842 §5.3); the browser by meta.json, else the side
//     without a=ice-lite, else the offerer. Roles.Check lists what
//     contradicts the RFCs.
//   - Variants (Derive): trimmed and rearranged sessions; full-ice's extra
//     checks are synthesized with stun.Builder and say so.
//   - DTLS 1.2 record layer (RFC 6347 §4.1, several records per datagram)
//     and handshake headers (§4.2.2, fragments reassembled); from the
//     clear-text ClientHello the client random, from the ServerHello the
//     server random, cipher suite and use_srtp profile (RFC 5764 §4.1.1).
//   - NSS key log: CLIENT_RANDOM lines; other labels and comments ignored.
//   - TLS 1.2 PRF (RFC 5246 §5) with the suite's hash (SHA-384 for
//     *_SHA384 suites, otherwise SHA-256) and the RFC 5705 exporter without
//     context, label EXTRACTOR-dtls_srtp, 2*(key+salt) bytes, split per RFC
//     5764 §4.2 into client key, server key, client salt, server salt.
//     Lengths: AES-CM profiles 16/14 (RFC 5764 §4.1.2), AEAD_AES_128_GCM
//     16/12 and AEAD_AES_256_GCM 32/12 (RFC 7714 §14.2). The split and
//     the lengths are written here from the RFCs rather than taken from
//     package srtp on purpose: srtp's corpus test checks
//     srtp.SplitKeyingMaterial against them, so they must not share code.
//
// Deviations: DTLS 1.2 connection-ID records (RFC 9146) are reported as
// errors, not parsed; TLS 1.3 / DTLS 1.3 key logs are ignored; IP fragments
// are skipped rather than reassembled.
package conformance
