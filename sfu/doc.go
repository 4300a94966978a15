// Package sfu is plainrtc's selective forwarding unit: rooms where
// participants publish audio and video and others receive it, with WHIP and
// WHEP signaling over plain net/http.
//
// # What it implements
//
//   - Signaling: WHIP (RFC 9725) and WHEP (draft-ietf-wish-whep) — POST
//     /whip/{room} or /whep/{room} with an application/sdp offer answers
//     201 Created with Location, ETag and the answer; DELETE on the
//     Location ends the session; OPTIONS answers CORS preflights (200 with
//     Accept-Post: application/sdp); Location, ETag and Link are exposed to
//     cross-origin pages; Link rel="ice-server" headers carry configured
//     ICE servers (RFC 9725 §4.6). Errors are 4xx with a reason: 415 for a
//     content type other than application/sdp, 400 naming the line and
//     rule for SDP that does not parse or cannot be answered, 413 for an
//     offer over 128 KiB (read no further), 404 for an unknown session or
//     a room name that is not 1–64 of [A-Za-z0-9._-] (not starting with
//     '.'), 405 with Allow for other methods; 503 with Retry-After beyond
//     Config.MaxSessions.
//   - The answer (RFC 8829 §5.3) of an ICE-lite (RFC 8839 §5.3), BUNDLE-only
//     (RFC 9143), rtcp-mux (RFC 8858) server with every host candidate in
//     it, written by sdp.Answer from the engine's plan. One codec per
//     section: Opus; VP8, then H264 packetization-mode=1, then VP9 for
//     video; towards a subscriber, the publisher's codec under the
//     subscriber's payload type. Extensions: MID (RFC 9143 §14.2, from
//     publishers), audio level (RFC 6464) and video orientation.
//   - Forwarding (RFC 7667 §3.7, a media-switching translator): every
//     subscriber gets its own SSRC per stream, the payload type numbers and
//     header extension IDs it negotiated, and sequence numbers and
//     timestamps that stay continuous when the source behind a stream
//     changes (a publisher leaving and another arriving, a new SSRC). Video
//     (VP8, VP9, H264) starts on a keyframe.
//   - RTCP termination (RFC 3550 §6): the SFU sends its own receiver
//     reports to publishers and sender reports to subscribers (a room
//     participant, both at once, gets both, in two compounds), each with
//     SDES CNAME; PLI and FIR from subscribers become PLIs to the publisher,
//     at most one per 500 ms per track (RFC 4585 §6.3.1, RFC 5104 §4.3.1); a
//     new subscriber triggers one as soon as its DTLS is up (nothing is
//     forwarded to it before); NACKs (RFC 4585 §6.2.1) are answered from
//     the publisher's track cache (512 video packets or 768 KiB, 64 audio
//     packets), shared by every subscriber, each packet at most once per
//     100 ms, rewritten exactly as the first time so the retransmission is
//     the identical SRTP packet (RFC 3711 §9.1). Sender reports carry the
//     publisher's NTP↔RTP mapping through the stream's timestamp offset
//     and count what the sender workers report sent. Subscribers'
//     reception reports give each stream's round trip (Stats "rtt_ms.max").
//     Gaps of up to 64 in a publisher's video are asked for with a NACK to
//     the publisher, once, so the repair reaches every subscriber.
//   - Data channels (RFC 8831, DCEP RFC 8832) via sfu/datachannel: every
//     channel a peer opens echoes its messages, up to the answer's
//     a=max-message-size (262144, RFC 8841 §6.1) and never more than the
//     peer's own (64 KiB when it gives none). A larger message closes its
//     channel (SCTP stream reset, RFC 8831 §6.7), counted in Stats
//     "datachannel.oversized" or "datachannel.echo_too_large" and logged.
//   - DTLS role (RFC 8842 §5.3, RFC 5763 §5): the answer to actpass is
//     a=setup:active, as RFC 9429 §5.3.1 says an answerer SHOULD choose,
//     so the SFU is the DTLS client and its own channels would take even
//     stream ids (RFC 8832 §6); passive is answered active, active (or no
//     a=setup) passive, and holdconn is refused with 400. As client under
//     ICE-lite the SFU sends its ClientHello only after the first
//     authenticated USE-CANDIDATE, to the nominated address, and follows
//     renomination; the peer's certificate is checked against its
//     a=fingerprint in both roles.
//   - Sessions end on DELETE, on ICE consent expiry (RFC 7675 §5.1), when
//     the peer closes DTLS (close_notify) or its SCTP association, or when
//     ICE and DTLS are not up within Config.ConnectTimeout (30 s); the
//     reason says which stage never finished ("ICE not connected within",
//     "DTLS not established within"). A silent DTLS peer is left to
//     pion/dtls's retransmissions until then.
//   - Tolerated from other stacks, counted in Stats and logged once per
//     server: a=ice-options that are unknown or malformed (libdatachannel's
//     "ice2,trickle"; "sdp.ice_options_ignored"), and opus/48000 without
//     "/2" (GStreamer; taken as stereo Opus, "sdp.opus_without_channels").
//     STUN Binding Indications (RFC 8445 §11 keepalives) are counted
//     ("stun_indications"), not taken for authentication failures; what a
//     peer sends in the seconds after its session ended (its close_notify,
//     last consent checks) is counted as "drop.after-close" and logged at
//     debug level.
//   - Structured logs (log/slog) of each session's life: creation and
//     tracks, ICE nominated pair, DTLS role, cipher and SRTP profile, data
//     channels, and why it ended with its packet counts.
//
// # Deviations and limits
//
//   - No trickle ICE and no ICE restart: PATCH answers 405 (RFC 9725
//     §4.3.1 allows this for a server that gives every candidate in the
//     answer, as an ICE-lite host-only server does).
//   - A WHEP session is not renegotiated: it gets one stream per receiving
//     section of its offer, fed by a track of that kind (oldest publisher
//     first); a stream whose track ends, or that had none, takes the next
//     live track of its kind and format. Where publishers send RFC 6464
//     levels, its audio streams follow the loudest and its video stream
//     the active speaker's video. Participants (KindParticipant,
//     docs/SIGNALING.md) are renegotiated by the room instead.
//   - No simulcast or SVC layer selection, no bandwidth estimation
//     (transport-cc, REMB and abs-send-time are not negotiated). RTX
//     (RFC 4588) is offered to participants for video and used for their
//     NACKs; towards WHEP viewers, and participants whose answer drops rtx,
//     a retransmission is the identical SRTP packet. The publishers' own
//     RTX streams are dropped (counted).
//   - An Opus rtpmap without channels is read as opus/48000/2 although
//     RFC 7587 §7 requires the "/2" and RFC 8866 §6.6 would make it mono.
//   - a=fingerprint and a=setup are repeated in every accepted bundled
//     section of the answer, where RFC 9143 §7.3 puts them only in the
//     tagged one: Firefox ESR 153 does not start ICE for a recvonly (WHEP)
//     offer otherwise (sdp.Answer does this unless Config.StrictBundle).
//   - The RTCP report interval is 0.5–1.5 s, not the RFC 3550 §6.3
//     bandwidth-derived one.
//
// # Threading model
//
// Each room is a state machine (room.go) in the str0m style: typed inputs
// (a participant joins, is ready, leaves; an RTP or RTCP packet from a
// participant; the sender workers' "packet sent" reports; the time) and
// typed outputs (transmits — a shared packet buffer and the rewrite for one
// participant —, events, the next timeout). It owns no goroutine, lock,
// socket or clock; its tests drive it on a virtual clock.
//
// The driver around it: each room has its own lock (roomHost), taken by
// the mux's read loop for a packet of one of its participants, by the
// timer goroutine (50 ms ticks: reports, ICE consent, connect deadlines),
// by HTTP handlers (joins, DELETE) and by DTLS goroutines (keys
// installed). Server.mu guards only the tables of rooms and sessions and
// is never taken on the packet path. Transmits go to the sender workers
// (Config.SenderWorkers, one per core by default): each participant's
// sender is pinned to one worker, which alone owns its SRTP context and
// its send order, and copies, rewrites, protects and writes each packet.
// A participant's queue is bounded (256 packets); when it is full that
// participant's packets are dropped and counted (Stats "send.queue_full"),
// nobody else's. DTLS handshakes and SCTP associations run in goroutines
// of their own (pion blocks).
//
// # Recording a session
//
// Recorder (recorder.go) collects one participant's session as a corpus
// folder that package conformance loads and rtcdump reads: session.pcapng
// (every datagram both ways with its time and 5-tuple, LINKTYPE_RAW IPv4
// or IPv6 and UDP), keylog.txt (the DTLS master secret, NSS format),
// offer.sdp, answer.sdp, offer-2.sdp, … in exchange order, and meta.json.
// It is a transport.Tap (transport.Peer.SetTap) and its KeyLog goes in
// transport.DTLSParams.KeyLogWriter. One byte cap bounds it; past it the
// recording is a prefix marked truncated.
//
// # Protocol inspector
//
// Config.Inspector gives each participant session (not WHIP/WHEP, which
// have no way to receive the token) a Recorder of InspectorRecorderMaxBytes
// and a live inspector (inspector*.go): the observer copies each datagram
// into a bounded queue and never blocks (a full queue drops, counted and
// reported in the stream); one goroutine per session explains the queue
// with package annotate (SRTP keys from the handshake, RFC 5764 §4.2) and
// writes JSON lines, rate-limited to 40 a second, the last 1000 kept. The
// join answer's "inspect" token opens GET
// /api/rooms/{room}/participants/{id}/inspect (server-sent events) and
// .../capture (zip). Deviations: SCTP and DCEP are shown from the
// session's data channel code, not decoded from the wire (they are inside
// DTLS); RTP loss is RFC 3550 §A.3's expected − received per second,
// without reordering windows; jitter (RFC 3550 §A.8) is computed from the
// times the socket read (in) or wrote (out) each packet, so for what the
// SFU sends it is the SFU's own send jitter; at most 64 streams per
// session are summed (more SSRCs at once are left out).
package sfu
