package sdp

import "testing"

func TestEdit(t *testing.T) {
	in := "v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=sendrecv\r\n"
	s, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	b := s.Edit()
	b.Set(6, Line{Type: 'a', Value: "recvonly"}).Insert(5, Line{Type: 'c', Value: Connection("2001:db8::1")}).Delete(6) // a=mid:0, now at 6
	b.Line('a', "rtcp-mux")
	out, err := b.Session()
	if err != nil {
		t.Fatal(err)
	}
	want := "v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP6 2001:db8::1\r\na=recvonly\r\na=rtcp-mux\r\n"
	if got := out.String(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if s.String() != in {
		t.Error("Edit changed the original")
	}
	// A Builder refuses to produce what Parse or Validate would refuse.
	if _, err := s.Edit().Insert(4, Line{Type: 'a', Value: "candidate:bad"}).Session(); err == nil {
		t.Error("invalid edit accepted")
	}
}
