// Package sdp parses and marshals Session Description Protocol documents
// (RFC 8866) losslessly, gives typed access to the attributes WebRTC uses,
// and builds JSEP answers and subsequent offers (RFC 9429, which obsoletes
// RFC 8829) for an ICE-lite, BUNDLE-only, rtcp-mux server.
//
// # Parsing and marshalling
//
// Parse copies the input once into a string; every Line's Value is a
// sub-string of it. A Session is one []Line for all lines plus one []Media
// whose entries are index ranges into it: 4 allocations per description.
// Lines may end in CRLF or LF (RFC 8866 §5: parsers SHOULD accept LF);
// AppendTo/Marshal/MarshalTo write every line back, unknown lines and
// attributes included, in order, each ending in CRLF. So CRLF input
// round-trips byte for byte, LF input after line-ending normalisation.
//
// Parse enforces the grammar of RFC 8866 §5/§9: the <type>=<value> form,
// known type letters (§5: a parser MUST NOT accept an unknown one), the
// line order of the session and media sections, and the fields of v=, o=,
// s=, t=, r=, z=, k=, c=, b=, m= and the attribute name of a=. Validate adds the rules
// of the attributes the package reads (usage level, repetition, value
// syntax; mids unique). Errors are *ParseError with the 1-based line
// number and the rule with its RFC section.
//
// Accessors (Session.ICECredentials, Media.Candidates, Session.Fingerprints,
// Session.Setup, Session.Groups, Media.RTPMaps, Media.FMTP,
// Media.RTCPFeedback, Session.ExtMaps, Media.MSIDs, Media.SSRCs,
// Media.SSRCGroups, Media.RIDs, Media.Simulcast, Media.SCTPPort,
// Media.MaxMessageSize, Session.Direction, ...) parse values on demand
// into structs whose strings share the input; iterators yield only values
// that parse (Validate reports the others).
//
// # Answers and offers
//
// Answer (RFC 9429 §5.3.1) and Offer (§5.2.2) build descriptions through
// Builder, which re-parses and validates what it produces. Session.Edit
// gives a Builder over a parsed description for other changes.
//
// Decisions, with the rule behind each:
//   - DTLS role: when the offer says actpass the answer takes
//     Config.Setup, default active, as RFC 9429 §5.3.1 says the answerer
//     SHOULD and RFC 5763 §5 allows (the server starts the handshake once
//     ICE has a pair, as in the corpus). Subsequent offers keep the role
//     already established (RFC 8842 §5), never actpass.
//   - Bundle policy max-bundle: sections outside the offer's first BUNDLE
//     group are rejected (the server has one transport). When the offer's
//     first tagged section cannot be accepted the next one in the tag list
//     is tagged (RFC 9143 §7.3.1), rather than rejecting the whole group
//     as RFC 9429 §5.3.1 words it for a rejected offerer-tagged section.
//   - Subsequent offers: the BUNDLE tag is the first live m= section
//     (RFC 9143 §7.5 lets the offerer pick; Chromium needs this one); an
//     added track recycles a port-0 RTP section, one of its own media
//     first, never an application one (Firefox refuses the type change),
//     with a mid one above the largest numeric mid in use.
//   - Candidates and a=end-of-candidates only in the tagged section;
//     ICE credentials, fingerprints and a=setup also repeated, identical,
//     in the other bundled sections unless Config.StrictBundle — see there.
//   - Protocols: UDP/TLS/RTP/SAVPF and UDP/DTLS/SCTP webrtc-datachannel
//     only; RTP sections without a=rtcp-mux are rejected (RFC 8834 §4.5).
//   - Formats: offered ones the Config supports, in offer order, with the
//     offer's rtpmap/fmtp (H264 matched on profile and packetization-mode,
//     VP9 on profile-id), RTX only for accepted primaries, rtcp-fb the
//     intersection; extmaps kept with the offer's IDs (the MID extension
//     always, RFC 9143 §9.1).
//   - Simulcast: a=simulcast:recv with the offered send list and a=rid:<id>
//     recv, only when the rtp-stream-id extension is accepted (without it
//     the rids cannot be seen on the wire, RFC 8852).
//
// Deviations:
//   - s= with no text ("s=") is refused: RFC 8866 §5.3 says it MUST NOT be
//     empty and §9 makes text 1*byte; browsers send "s=-".
//   - An empty line, also a trailing one, is refused: §5 has none.
//   - a=fingerprint from a peer may use lower-case hex (RFC 8122 §5 says
//     UHEX); Config fingerprints, which we write, must be upper case.
//   - a=ice-options tags are checked as tokens, not 1*ice-char (RFC 8839
//     §5.6): libwebrtc and JsSIP send "google-ice". ValidateExcept
//     ("ice-options") skips the value check altogether and ICEOptionTags
//     separates well-formed tags from the rest, for a server that ignores
//     what it cannot read (libdatachannel writes "ice2,trickle").
//   - An Opus rtpmap without channels (GStreamer's "opus/48000") matches
//     opus/48000/2 in Codec.Matches: RFC 7587 §7 fixes the rtpmap as
//     opus/48000/2, so it can only mean stereo Opus, not a mono format.
//   - Offer writes a=ice-lite although RFC 9429 §5.2.1 forbids it in JSEP
//     offers: an ICE-lite server must announce itself (RFC 8839 §5.3).
//   - By default the transport attributes are repeated in bundled sections
//     (RFC 9429 §5.2.2/§5.3.2 say MUST NOT): Chromium 156 and Firefox 153
//     need them (measured with cmd/sdpinterop).
//
// # Browser check
//
// cmd/sdpinterop is a manual tool (a command, so this package stays
// Sans-IO): it has headless Chromium or Firefox apply Answer's answer and
// three Offer renegotiations, and prints what the browser says. Its
// README.md gives the commands and the results that shaped the decisions
// above.
//
// RFCs: 8866 (SDP), 9429/8829 (JSEP), 3264 (offer/answer), 8839 (ICE SDP),
// 8840 (end-of-candidates), 8122 and 5763 (fingerprint, setup), 8842 (DTLS
// in SDP offer/answer), 9143 (BUNDLE), 5888 (group, mid), 5761 and 8858
// (rtcp-mux, rtcp-mux-only), 5506 (rtcp-rsize), 4585 (rtcp-fb), 8285
// (extmap, extmap-allow-mixed), 8830 (msid), 5576 (ssrc, ssrc-group), 8851
// (rid), 8853 (simulcast), 8841 (sctp-port, max-message-size), 4588 (rtx),
// 6184 (H264 profile-level-id).
package sdp
