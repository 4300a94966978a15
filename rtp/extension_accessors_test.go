package rtp

import (
	"bytes"
	"testing"
)

// Every typed accessor finds its element in a packet built with an
// ExtensionList, in both forms, and reports absence as !ok.
func TestHeaderTypedAccessors(t *testing.T) {
	for _, twoByte := range []bool{false, true} {
		var l ExtensionList
		buf := make([]byte, 8)
		al := AudioLevel{Voice: true, Level: 42}
		n, _ := al.MarshalTo(buf)
		l.Set(1, append([]byte(nil), buf[:n]...))
		l.Set(2, []byte{0x12, 0x34, 0x56})
		l.Set(3, []byte{0x01, 0x02})
		l.Set(4, []byte("0"))
		l.Set(5, []byte{0x00, 0x10, 0x20})
		l.Set(10, []byte("hi"))
		l.Set(11, []byte("lo"))
		l.Set(13, []byte{0x05})
		if twoByte {
			l.Set(200, []byte{})
		}
		var h Header
		scratch := make([]byte, 64)
		if err := l.SetOn(&h, scratch); err != nil {
			t.Fatal(err)
		}
		raw, err := h.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		var p Header
		if _, err := p.Unmarshal(raw); err != nil {
			t.Fatal(err)
		}
		if got := ExtensionFormOf(p.ExtensionProfile) == ExtensionFormTwoByte; got != twoByte {
			t.Fatalf("two-byte form %v, want %v", got, twoByte)
		}
		if a, ok := p.AudioLevel(1); !ok || a != al {
			t.Errorf("AudioLevel = %+v %v", a, ok)
		}
		if a, ok := p.AbsSendTime(2); !ok || a != 0x123456 {
			t.Errorf("AbsSendTime = %#x %v", uint32(a), ok)
		}
		if c, ok := p.TransportCC(3); !ok || c != 0x0102 {
			t.Errorf("TransportCC = %#x %v", uint16(c), ok)
		}
		if m, ok := p.Mid(4); !ok || !bytes.Equal(m, []byte("0")) {
			t.Errorf("Mid = %q %v", m, ok)
		}
		if d, ok := p.PlayoutDelay(5); !ok || d.Min != 1 || d.Max != 0x20 {
			t.Errorf("PlayoutDelay = %+v %v", d, ok)
		}
		if r, ok := p.RtpStreamID(10); !ok || string(r) != "hi" {
			t.Errorf("RtpStreamID = %q %v", r, ok)
		}
		if r, ok := p.RepairedRtpStreamID(11); !ok || string(r) != "lo" {
			t.Errorf("RepairedRtpStreamID = %q %v", r, ok)
		}
		if o, ok := p.VideoOrientation(13); !ok || o.Rotation != 90 || !o.Flip || o.Camera {
			t.Errorf("VideoOrientation = %+v %v", o, ok)
		}
		if _, ok := p.TransportCC(9); ok {
			t.Error("absent TransportCC reported ok")
		}
		if _, ok := p.TransportCC(1); ok {
			t.Error("1-byte value parsed as TransportCC")
		}
	}
}

// The accessors allocate nothing, also for an absent element (browsers stop
// sending mid and rid once acknowledged) or a malformed one (an attacker's
// choice): before, each built a fmt.Errorf error it then discarded.
func TestHeaderTypedAccessorsAllocateNothing(t *testing.T) {
	var l ExtensionList
	l.Set(1, []byte{})      // empty: too short for every type
	l.Set(4, []byte("a b")) // not a token, not a rid
	var h Header
	if err := l.SetOn(&h, make([]byte, 16)); err != nil {
		t.Fatal(err)
	}
	for _, id := range []uint8{1, 4, 9} { // malformed, malformed, absent
		allocs := testing.AllocsPerRun(50, func() {
			h.AudioLevel(id)
			h.AbsSendTime(id)
			h.TransportCC(id)
			h.PlayoutDelay(id)
			h.VideoOrientation(id)
			h.Mid(id)
			h.RtpStreamID(id)
			h.RepairedRtpStreamID(id)
		})
		if allocs != 0 {
			t.Errorf("ID %d: accessors allocate %v times", id, allocs)
		}
		if _, ok := h.Mid(id); ok {
			t.Errorf("ID %d: Mid ok", id)
		}
		if _, ok := h.RtpStreamID(id); ok {
			t.Errorf("ID %d: RtpStreamID ok", id)
		}
		if _, ok := h.AudioLevel(id); ok && id != 4 { // "a b" is a level
			t.Errorf("ID %d: AudioLevel ok", id)
		}
	}
}
