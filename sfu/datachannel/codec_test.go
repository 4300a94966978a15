package datachannel

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

// A DATA_CHANNEL_OPEN as Chromium sends it for
// createDataChannel("chat", {ordered: false, maxRetransmits: 3, protocol: "p"}).
var openBytes = mustHex("03" + "81" + "0100" + "00000003" + "0004" + "0001" + "63686174" + "70")

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func TestOpenUnmarshal(t *testing.T) {
	var o Open
	if err := o.Unmarshal(openBytes); err != nil {
		t.Fatal(err)
	}
	if o.ChannelType != ChannelPartialReliableRexmitUnor || o.Priority != PriorityNormal ||
		o.ReliabilityParameter != 3 || string(o.Label) != "chat" || string(o.Protocol) != "p" || o.Trailing != nil {
		t.Fatalf("got %+v", o)
	}
	if o.ChannelType.Ordered() {
		t.Error("0x81 must be unordered")
	}
	if r, ok := o.ChannelType.Reliability(); !ok || r != LimitedRetransmits {
		t.Errorf("reliability = %v %v, want LimitedRetransmits", r, ok)
	}
	// The label references the input (no copy).
	openCopy := bytes.Clone(openBytes)
	if err := o.Unmarshal(openCopy); err != nil {
		t.Fatal(err)
	}
	openCopy[12] = 'C'
	if string(o.Label) != "Chat" {
		t.Errorf("label does not reference input: %q", o.Label)
	}
}

func TestOpenRoundTrip(t *testing.T) {
	cases := map[string][]byte{
		"chromium":      openBytes,
		"empty label":   mustHex("0300" + "0100" + "00000000" + "0000" + "0000"),
		"timed":         mustHex("0302020000001388" + "0001" + "0000" + "78"),
		"trailing":      append(bytes.Clone(openBytes), 0xde, 0xad),
		"unknown type":  mustHex("0307" + "0100" + "00000000" + "0000" + "0000"),
		"reliable unor": mustHex("0380" + "0080" + "00000000" + "0002" + "0003" + "6869" + "616263"),
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			var o Open
			if err := o.Unmarshal(in); err != nil {
				t.Fatal(err)
			}
			out, err := o.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, in) {
				t.Fatalf("round trip\n got %x\nwant %x", out, in)
			}
			var m Message
			if err := m.Unmarshal(in); err != nil || m.Type != MessageTypeOpen || !bytes.Equal(m.Open.Label, o.Label) {
				t.Fatalf("Message.Unmarshal = %v %+v", err, m)
			}
		})
	}
}

func TestOpenMarshal(t *testing.T) {
	o := Open{ChannelType: ChannelPartialReliableRexmitUnor, Priority: 256, ReliabilityParameter: 3, Label: []byte("chat"), Protocol: []byte("p")}
	if o.MarshalSize() != len(openBytes) {
		t.Fatalf("MarshalSize %d want %d", o.MarshalSize(), len(openBytes))
	}
	b := make([]byte, 64)
	n, err := o.MarshalTo(b)
	if err != nil || !bytes.Equal(b[:n], openBytes) {
		t.Fatalf("MarshalTo = %x, %v", b[:n], err)
	}
	if _, err := o.MarshalTo(b[:5]); !errors.Is(err, ErrShortBuffer) {
		t.Errorf("short buffer: %v", err)
	}
	o.Label = make([]byte, 70000)
	if _, err := o.Marshal(); err == nil || !strings.Contains(err.Error(), "Label Length") {
		t.Errorf("oversized label: %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	cases := map[string]struct {
		in   []byte
		want string
	}{
		"empty":          {nil, "length 0"},
		"header cut":     {openBytes[:11], "length 11, want at least 12"},
		"label cut":      {openBytes[:15], "need 17 bytes, have 15"},
		"protocol cut":   {openBytes[:16], "need 17 bytes, have 16"},
		"wrong type":     {append([]byte{0x02}, openBytes[1:]...), "want 0x03"},
		"huge label len": {mustHex("030001000000000000ffff0000"), "need"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			var o Open
			err := o.Unmarshal(c.in)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want containing %q", err, c.want)
			}
		})
	}
}

func TestAck(t *testing.T) {
	var a Ack
	if err := a.Unmarshal([]byte{0x02}); err != nil || a.Trailing != nil {
		t.Fatal(err, a)
	}
	b, _ := a.Marshal()
	if !bytes.Equal(b, []byte{0x02}) {
		t.Fatalf("marshal %x", b)
	}
	in := []byte{0x02, 0x01}
	if err := a.Unmarshal(in); err != nil {
		t.Fatal(err)
	}
	if b, _ := a.Marshal(); !bytes.Equal(b, in) {
		t.Fatalf("lossless: %x", b)
	}
	if err := a.Unmarshal(nil); err == nil {
		t.Error("empty ACK accepted")
	}
	if err := a.Unmarshal([]byte{0x03}); err == nil || !strings.Contains(err.Error(), "want 0x02") {
		t.Errorf("wrong type: %v", err)
	}
	if _, err := a.MarshalTo(nil); !errors.Is(err, ErrShortBuffer) {
		t.Errorf("short: %v", err)
	}
	var m Message
	if err := m.Unmarshal([]byte{0x02}); err != nil || m.Type != MessageTypeAck {
		t.Fatal(err, m.Type)
	}
	for _, bad := range [][]byte{{0x00}, {0x01}, {0xff}} {
		if err := m.Unmarshal(bad); err == nil || !strings.Contains(err.Error(), "RFC 8832 §8.2.1") {
			t.Errorf("type %x: %v", bad, err)
		}
	}
}

func TestChannelTypes(t *testing.T) {
	cases := []struct {
		t       ChannelType
		ordered bool
		rel     Reliability
		name    string
	}{
		{ChannelReliable, true, Reliable, "reliable"},
		{ChannelReliableUnordered, false, Reliable, "reliable-unordered"},
		{ChannelPartialReliableRexmit, true, LimitedRetransmits, "partial-reliable-rexmit"},
		{ChannelPartialReliableRexmitUnor, false, LimitedRetransmits, "partial-reliable-rexmit-unordered"},
		{ChannelPartialReliableTimed, true, LimitedLifetime, "partial-reliable-timed"},
		{ChannelPartialReliableTimedUnor, false, LimitedLifetime, "partial-reliable-timed-unordered"},
	}
	for _, c := range cases {
		r, ok := c.t.Reliability()
		if !ok || r != c.rel || c.t.Ordered() != c.ordered || c.t.String() != c.name || !c.t.Valid() {
			t.Errorf("%#x: rel %v %v ordered %v name %q", uint8(c.t), r, ok, c.t.Ordered(), c.t.String())
		}
		if NewChannelType(c.ordered, c.rel) != c.t {
			t.Errorf("NewChannelType(%v,%v) = %#x", c.ordered, c.rel, NewChannelType(c.ordered, c.rel))
		}
	}
	for _, bad := range []ChannelType{0x03, 0x7f, 0x83, 0xff} {
		if bad.Valid() {
			t.Errorf("%#x valid", uint8(bad))
		}
	}
}

func TestPPIDs(t *testing.T) {
	if PPIDFor(true, 0) != 56 || PPIDFor(false, 0) != 57 || PPIDFor(true, 1) != 51 || PPIDFor(false, 9) != 53 {
		t.Error("PPIDFor")
	}
	if !PPIDStringEmpty.IsEmpty() || !PPIDBinaryEmpty.IsEmpty() || PPIDString.IsEmpty() {
		t.Error("IsEmpty")
	}
	if !PPIDStringPartial.IsString() || PPIDBinaryPartial.IsString() || !PPIDStringPartial.IsPartial() || PPIDBinary.IsPartial() {
		t.Error("partial")
	}
	if PPIDDCEP.IsUserData() || PPID(99).IsUserData() || !PPIDBinary.IsUserData() {
		t.Error("IsUserData")
	}
	if PPID(99).String() != "ppid(99)" || PPIDDCEP.String() != "DCEP" {
		t.Error(PPID(99).String())
	}
}

func TestStreamIDParity(t *testing.T) {
	c := NewStreamIDs(RoleClient)
	s := NewStreamIDs(RoleServer)
	for i := 0; i < 5; i++ {
		ci, err := c.Next()
		if err != nil || ci != uint16(2*i) {
			t.Fatalf("client id %d: %d %v", i, ci, err)
		}
		si, err := s.Next()
		if err != nil || si != uint16(2*i+1) {
			t.Fatalf("server id %d: %d %v", i, si, err)
		}
	}
	if err := CheckRemoteOpen(RoleClient, 3); err != nil {
		t.Errorf("client accepting odd id: %v", err)
	}
	if err := CheckRemoteOpen(RoleClient, 4); err == nil {
		t.Error("client accepted an even (own-parity) id from the server")
	}
	if err := CheckRemoteOpen(RoleServer, 1); err == nil {
		t.Error("server accepted an odd id from the client")
	}
	if err := CheckRemoteOpen(RoleServer, 65535); err == nil {
		t.Error("id 65535 accepted")
	}
	// Reserved ids are skipped, released ids reused after wrap.
	c2 := NewStreamIDs(RoleClient)
	if !c2.Reserve(0) || c2.Reserve(0) {
		t.Fatal("Reserve")
	}
	if id, _ := c2.Next(); id != 2 {
		t.Fatalf("skip reserved: %d", id)
	}
}

func TestStreamIDExhaustion(t *testing.T) {
	s := NewStreamIDs(RoleServer)
	n := 0
	for {
		id, err := s.Next()
		if err != nil {
			if !errors.Is(err, ErrNoStreamID) {
				t.Fatal(err)
			}
			break
		}
		if id%2 != 1 || id > MaxStreamID {
			t.Fatalf("bad id %d", id)
		}
		n++
	}
	if n != 32767 { // odd ids 1..65533
		t.Fatalf("allocated %d odd ids, want 32767", n)
	}
	s.Release(77)
	if id, err := s.Next(); err != nil || id != 77 {
		t.Fatalf("after release: %d %v", id, err)
	}
}

func TestMaxMessageSizeFromSDP(t *testing.T) {
	if MaxMessageSizeFromSDP(false, 0) != 65536 || MaxMessageSizeFromSDP(true, 0) != LocalMaxMessageSize ||
		MaxMessageSizeFromSDP(true, 1000) != 1000 || MaxMessageSizeFromSDP(true, 1<<40) != LocalMaxMessageSize {
		t.Error("MaxMessageSizeFromSDP")
	}
}

func FuzzMessage(f *testing.F) {
	f.Add(openBytes)
	f.Add([]byte{0x02})
	f.Add([]byte{0x03, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0})
	f.Fuzz(func(t *testing.T, in []byte) {
		var m Message
		if err := m.Unmarshal(in); err != nil {
			return
		}
		var out []byte
		var err error
		switch m.Type {
		case MessageTypeOpen:
			out, err = m.Open.Marshal()
		case MessageTypeAck:
			out, err = m.Ack.Marshal()
		}
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out, in) {
			t.Fatalf("not lossless: %x -> %x", in, out)
		}
	})
}

func BenchmarkOpenUnmarshal(b *testing.B) {
	b.ReportAllocs()
	var o Open
	for i := 0; i < b.N; i++ {
		if err := o.Unmarshal(openBytes); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpenMarshalTo(b *testing.B) {
	b.ReportAllocs()
	var o Open
	_ = o.Unmarshal(openBytes)
	buf := make([]byte, 64)
	for i := 0; i < b.N; i++ {
		if _, err := o.MarshalTo(buf); err != nil {
			b.Fatal(err)
		}
	}
}
