// Package srtp implements SRTP and SRTCP (RFC 3711) for WebRTC: the
// AES-CM/HMAC-SHA1 profiles with 128-bit (RFC 3711), 192- and 256-bit keys
// (RFC 6188), the AEAD_AES_128_GCM and AEAD_AES_256_GCM profiles (RFC 7714),
// encryption of RTP header extensions (RFC 6904), and keys taken straight
// from the DTLS-SRTP exporter (RFC 5764 §4.2).
//
// A Context holds one direction's session keys (RFC 3711 §4.3) and, per
// SSRC, the rollover counter, the highest authenticated packet index and a
// replay window (RFC 3711 §3.3.1, §3.3.2, Appendix A). Packets are protected
// and unprotected in place; after an SSRC's first packet nothing allocates.
//
//	local, remote, err := srtp.FromKeyingMaterial(srtp.ProfileAEADAES128GCM, km, isDTLSClient)
//	out, err := local.EncryptRTP(pkt[:0], pkt) // cap(pkt) >= len(pkt)+local.Profile().RTPOverhead()
//	rtp, err := remote.DecryptRTP(datagram)    // in place; rtp aliases datagram
//
// Receiving follows RFC 3711 §3.3 strictly in this order: estimate the index
// from the sequence number (Appendix A), check the replay window, verify the
// tag in constant time, and only then decrypt; the rollover counter and the
// window move only once the packet has authenticated, so a forged packet
// changes nothing.
//
// Where this package chooses or deviates:
//   - The replay window is indexed by the 48-bit packet index (ROC || SEQ),
//     not the sequence number, so packets late across a sequence wrap are
//     accepted once. Its size is configurable (WithReplayWindow), default
//     1024 packets, at most 2^15 (the reach of the index estimate).
//   - An index estimate of ROC-1 while ROC is 0 (RFC 3711 Appendix A takes it
//     mod 2^32) is treated as older than the stream's start: its ROC for the
//     cryptography is 2^32-1 as the RFC says, but the replay window sees it
//     as old, as libsrtp does.
//   - No MKI (RFC 3711 §3.1): WebRTC does not use it.
//   - Key derivation rate: DTLS-SRTP fixes it at 0 (RFC 5764 §4.1.2) and
//     keys are derived once. WithKeyDerivationRate derives per SSRC at each
//     r = index DIV kdr (RFC 3711 §4.3.1), allocating one key set per rekey.
//     For the SRTCP labels with a non-zero rate, r is the 32-bit
//     0 || SRTCP index (RFC 3711 §4.3.2, as NIST SP 800-135 reads it).
//   - The RTP header's framing (RFC 3550 §5.1, §5.3.1: CSRCs and the
//     extension block) comes from rtp.HeaderLength, not rtp.Header.Unmarshal:
//     that one builds its errors with fmt.Errorf and rejects malformed
//     RFC 8285 elements, and a forged packet must cost no allocation and be
//     refused by its tag.
//   - AES-CM: crypto/cipher.NewCTR allocates per IV, so counter blocks are
//     encrypted directly: eight at a time with AES-NI on amd64 (our own
//     FIPS-197 key schedule feeds it), else one cipher.Block.Encrypt each.
//     In FIPS 140-3 mode (GODEBUG=fips140=on) the AES-NI loop is off, so AES
//     comes from the standard library's module; GODEBUG=cpu.aes=off is not
//     consulted (-tags purego turns the loop off at build time).
//   - HMAC-SHA1 (RFC 2104): on amd64 with the SHA extensions the chaining
//     values after K^ipad and K^opad are kept per key (RFC 2104 §4) and
//     packets are hashed by our own SHA-NI compression loop (FIPS 180-4
//     §6.1.2), without crypto/hmac's per-packet state restore and copies;
//     elsewhere, in FIPS 140-3 mode and with -tags purego, crypto/hmac.
//   - The first SRTCP index sent per SSRC is 1, as libsrtp and pion send.
//   - RFC 6188's AES-192/256-CM profiles have no DTLS-SRTP profile id; they
//     get private Profile values 0xFF01–0xFF04 that never go on the wire.
//   - GCM: on a failed tag the standard library clears the would-be plaintext
//     bytes of the buffer; they are never returned.
//   - RFC 6904: see cryptHeaderExtension for the keystream layout, which
//     follows libsrtp (the implementation Chromium uses) where padding sits
//     between elements.
package srtp
