// Package bench compares plainrtc's codecs with pion's protocol modules
// (pion/stun, pion/sdp, pion/srtp, pion/rtp, pion/rtcp) on the same inputs:
// the STUN messages, SDP offers and decrypted RTP/RTCP packets of the
// captured browser sessions in conformance/testdata/corpus.
//
// It is a separate Go module so that the project itself never imports pion's
// protocol modules. Everything lives in _test.go files: benchmarks named
// BenchmarkX/plainrtc beside BenchmarkX/pion, and tests that check both
// implementations agree on every input before their speed is compared.
// run.sh runs the benchmarks and writes RESULTS.md.
package bench
