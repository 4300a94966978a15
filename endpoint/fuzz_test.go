package endpoint_test

import (
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/endpoint"
	"github.com/plainrtc/plainrtc/sdp"
	"github.com/plainrtc/plainrtc/sfu/transport"
)

// FuzzDescriptions: arbitrary remote descriptions, as an answer to our
// offer and as the peer's offer, never panic the endpoint; what it
// accepts, it answers with SDP that parses and validates.
func FuzzDescriptions(f *testing.F) {
	seed, err := endpoint.New(endpoint.Config{Audio: sdp.SendRecv, Video: sdp.RecvOnly, DataChannel: true})
	if err != nil {
		f.Fatal(err)
	}
	offer, _ := seed.Offer()
	other, _ := endpoint.New(endpoint.Config{Audio: sdp.SendOnly, DataChannel: true})
	answer, _ := other.Answer(offer)
	seed.Close()
	other.Close()
	f.Add(offer)
	f.Add(answer)
	f.Add([]byte("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n"))
	// One certificate for every input: generating one per input is most
	// of the cost under coverage instrumentation.
	cert, err := transport.GenerateCertificate(time.Now())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := endpoint.New(endpoint.Config{Audio: sdp.SendRecv, Video: sdp.SendOnly, DataChannel: true, Certificate: cert})
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		if ans, err := e.Answer(b); err == nil {
			s, err := sdp.Parse(ans)
			if err != nil {
				t.Fatalf("our answer does not parse: %v\n%s", err, ans)
			}
			if err := s.Validate(); err != nil {
				t.Fatalf("our answer does not validate: %v\n%s", err, ans)
			}
		}
		e2, err := endpoint.New(endpoint.Config{Audio: sdp.SendRecv, Video: sdp.SendOnly, DataChannel: true, Certificate: cert})
		if err != nil {
			t.Fatal(err)
		}
		defer e2.Close()
		if _, err := e2.Offer(); err != nil {
			t.Fatal(err)
		}
		_ = e2.SetAnswer(b)
		_ = e2.Tracks()
	})
}
