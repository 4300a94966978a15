package sdp

import "testing"

// Two bound payload types match the same codec: new sections must reuse
// the same one every time (the lowest), not whichever map order yields.
func TestBindingsPickLowestMatchingPT(t *testing.T) {
	s, err := Parse([]byte("v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n" +
		"m=video 9 UDP/TLS/RTP/SAVPF 120 97 96 98\r\n" +
		"a=rtpmap:120 VP8/90000\r\na=rtpmap:97 VP8/90000\r\na=rtpmap:96 VP8/90000\r\na=rtpmap:98 VP8/90000\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	vp8 := DefaultCodecs()[1]
	vp8.PayloadType, vp8.RTXPayloadType = 100, 0
	for range 64 {
		if got := newBindings(s).pts(&vp8).pt; got != 96 {
			t.Fatalf("bound VP8 payload type %d, want 96 (the lowest bound one)", got)
		}
	}
}
