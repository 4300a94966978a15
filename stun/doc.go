// Package stun is a STUN message codec (RFC 8489) for ICE (RFC 8445).
//
// It implements:
//   - the message header, class and method, magic cookie and transaction
//     ID (RFC 8489 §5, §6);
//   - every attribute of RFC 8489 §14 (MAPPED-ADDRESS, XOR-MAPPED-ADDRESS
//     for IPv4 and IPv6, USERNAME, USERHASH, MESSAGE-INTEGRITY,
//     MESSAGE-INTEGRITY-SHA256, FINGERPRINT, ERROR-CODE, REALM, NONCE,
//     PASSWORD-ALGORITHMS, PASSWORD-ALGORITHM, UNKNOWN-ATTRIBUTES,
//     SOFTWARE, ALTERNATE-SERVER, ALTERNATE-DOMAIN) and the ICE attributes
//     of RFC 8445 §16.1 (PRIORITY, USE-CANDIDATE, ICE-CONTROLLED,
//     ICE-CONTROLLING);
//   - short-term and long-term credentials (RFC 8489 §9.1, §9.2, MD5 and
//     SHA-256 keys), MESSAGE-INTEGRITY(-SHA256) check and generation, and
//     FINGERPRINT check and generation (RFC 8489 §14.5-§14.7);
//   - an attribute registry (Registry, AttrType.Describe) naming each type
//     and the RFC section that defines it.
//
// # Shape
//
// Message.Unmarshal parses a datagram into a Message that references the
// input: header fields plus a reusable slice of RawAttribute {Type, Value,
// Padding, Offset}. Typed getters (Message.XORMappedAddress,
// Message.Username, Message.ErrorCode, ...) decode one attribute on
// demand. Attributes this package does not know (Chromium's
// GOOG-NETWORK-INFO 0xC057, anything else) stay in Attributes and are
// written back by MarshalTo, so parse→marshal returns the input bytes,
// padding bytes included (RFC 5769 pads with 0x20, browsers with zeros).
// Message.UnknownComprehensionRequired lists the types a 420 response must
// report (RFC 8489 §6.3.1.1).
//
// Builder appends a message into a caller buffer; its typed Add methods
// mirror the getters, and AddMessageIntegrity, AddMessageIntegritySHA256
// and AddFingerprint finish the message with the Length field adjusted as
// RFC 8489 §14.5-§14.7 require. Bytes reports a message that breaks the
// attribute order (anything after FINGERPRINT, or after the integrity
// attributes what a receiver ignores there) or a length or text limit,
// naming the attribute and the section. Integrity keeps keyed HMAC states, so
// checking and signing allocate nothing in steady state; comparisons are
// constant time (crypto/hmac.Equal).
//
// Getters skip what the integrity does not cover: after MESSAGE-INTEGRITY
// only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT count, after a lone
// MESSAGE-INTEGRITY-SHA256 only FINGERPRINT (RFC 8489 §9), so an attribute
// appended by an on-path attacker is never read; Attributes still lists
// every attribute for dumping and re-marshalling. FindAttribute applies
// the same rule without building a Message.
//
// Parsing into a reused Message, the getters, integrity and fingerprint
// checks, and building into a buffer of sufficient capacity allocate
// nothing (see the benchmarks). Errors name the field and the rule broken; the failures a
// peer can provoke at line rate (missing attribute, wrong HMAC, wrong
// CRC) are sentinel errors, so rejecting a packet does not allocate.
//
// # Deviations
//
//   - OpaqueString (RFC 8265) preparation of usernames, realms and
//     passwords (RFC 8489 §9.2.2, §14.3) is not performed: it needs
//     Unicode tables (golang.org/x/text), which are not an allowed
//     dependency. Callers pass already-prepared strings. ICE credentials
//     are ASCII (RFC 8445 §5.3) and unaffected. The RFC 5769 §2.4 test
//     vector is verified with its prepared password "TheMatrIX".
//   - The RFC 3489 "classic STUN" format (no magic cookie) is rejected.
//   - Unmarshal requires the datagram to be exactly one message
//     (20 + Length bytes); framing over stream transports is the caller's.
//   - Nonce cookies and the security-feature bits of RFC 8489 §9.2 are
//     carried as NONCE text; their interpretation belongs to a server with
//     long-term credentials, which plainrtc does not have.
package stun
