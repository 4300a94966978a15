package sdp

import (
	"slices"
	"testing"
)

// ValidateExcept skips only the value check of the named attribute: a
// comma-separated a=ice-options (libdatachannel) passes, its level and
// repetition are still checked, and other attributes are still checked.
func TestValidateExceptICEOptions(t *testing.T) {
	head := "v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
	for in, bad := range map[string]bool{
		"a=ice-options:ice2,trickle\r\n":                       false,
		"a=ice-options:trickle  ice2\r\n":                      false,
		"a=ice-options:ice2,trickle\r\na=ice-options:ice2\r\n": true, // once per section
		"a=ice-options:ice2,trickle\r\na=setup:maybe\r\n":      true,
	} {
		s, err := Parse([]byte(head + in))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.ValidateExcept("ice-options"); bad != (err != nil) {
			t.Errorf("%q: ValidateExcept = %v, want error %v", in, err, bad)
		}
		if err := s.Validate(); err == nil {
			t.Errorf("%q: Validate accepts it", in)
		}
	}
}

func TestICEOptionTags(t *testing.T) {
	for in, want := range map[string][2][]string{
		"trickle ice2":     {{"trickle", "ice2"}, nil},
		"ice2,trickle":     {nil, {"ice2,trickle"}},
		"trickle  ice2":    {{"trickle", "ice2"}, {""}},
		"renomination x,y": {{"renomination"}, {"x,y"}},
	} {
		tags, malformed := ICEOptionTags(in)
		if !slices.Equal(tags, want[0]) || !slices.Equal(malformed, want[1]) {
			t.Errorf("ICEOptionTags(%q) = %q, %q; want %q, %q", in, tags, malformed, want[0], want[1])
		}
	}
}

// RFC 7587 §7 fixes Opus's rtpmap as opus/48000/2; GStreamer writes
// opus/48000. Both are the same stereo Opus; other audio codecs keep the
// RFC 8866 §6.6 default of one channel.
func TestMatchesOpusWithoutChannels(t *testing.T) {
	opus := Codec{Kind: "audio", Name: "opus", ClockRate: 48000, Channels: "2"}
	for _, c := range []struct {
		codec Codec
		r     RTPMap
		want  bool
	}{
		{opus, RTPMap{Encoding: "opus", ClockRate: 48000}, true},
		{opus, RTPMap{Encoding: "OPUS", ClockRate: 48000, Params: "2"}, true},
		{opus, RTPMap{Encoding: "opus", ClockRate: 48000, Params: "1"}, false},
		{Codec{Kind: "audio", Name: "opus", ClockRate: 48000}, RTPMap{Encoding: "opus", ClockRate: 48000, Params: "2"}, true},
		{Codec{Kind: "audio", Name: "PCMU", ClockRate: 8000, Channels: "2"}, RTPMap{Encoding: "PCMU", ClockRate: 8000}, false},
	} {
		if got := c.codec.Matches(c.r, FMTP{}); got != c.want {
			t.Errorf("%+v.Matches(%+v) = %v, want %v", c.codec, c.r, got, c.want)
		}
	}
}
