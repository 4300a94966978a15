// Package endpoint is the other side of a plainrtc session: a WebRTC
// peer built from plainrtc's own packages, so Go code (tests, load tools,
// a synthetic publisher) can join plainrtc or any WHIP/WHEP server
// without pion/webrtc.
package endpoint
