package rtcp

import (
	"testing"
	"time"
)

func TestNTPTime(t *testing.T) {
	for _, tc := range []struct {
		t    time.Time
		want uint64
	}{
		{time.Unix(0, 0), unixToNTP << 32},
		{time.Unix(1, int64(500*time.Millisecond)), (unixToNTP+1)<<32 | 0x80000000},
		{time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), 0},
		// 2036-02-07 06:28:16 UTC ends NTP era 0: seconds wrap to 0.
		{time.Date(2036, 2, 7, 6, 28, 16, int(250*time.Millisecond), time.UTC), 0x40000000},
	} {
		if got := NTPTime(tc.t); got != tc.want {
			t.Errorf("NTPTime(%v) = %#x, want %#x", tc.t, got, tc.want)
		}
	}
	if got := NTPMiddle(0x1122334455667788); got != 0x33445566 {
		t.Fatalf("NTPMiddle = %#x", got)
	}
}

func TestDelayUnits(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want uint32
	}{
		{-time.Second, 0}, {0, 0}, {time.Second, 65536}, {1500 * time.Millisecond, 98304},
		{15259 * time.Nanosecond, 1}, {15258 * time.Nanosecond, 0},
		{65535 * time.Second, 65535 << 16}, {65536 * time.Second, 1<<32 - 1}, {1 << 62, 1<<32 - 1},
	} {
		if got := DelayUnits(tc.d); got != tc.want {
			t.Errorf("DelayUnits(%v) = %d, want %d", tc.d, got, tc.want)
		}
	}
}

// RFC 3550 §6.4.1's example: A = 0xb710:8000 (46864.500 s), LSR =
// 0xb705:2000 (46853.125 s), DLSR = 0x0005:4000 (5.250 s): RTT 6.125 s.
func TestRoundTripRFC3550Example(t *testing.T) {
	arrival := uint64(0xb7108000) << 16
	r := ReceptionReport{LastSR: 0xb7052000, DelaySinceLastSR: 0x00054000}
	rtt, ok := RoundTrip(arrival, &r)
	if !ok || rtt != 6125*time.Millisecond {
		t.Fatalf("RoundTrip = %v, %v; want 6.125s", rtt, ok)
	}
	r.DelaySinceLastSR = 0x000c0000 // 12 s: more than A - LSR
	if _, ok := RoundTrip(arrival, &r); ok {
		t.Fatal("negative round trip reported ok")
	}
	if _, ok := RoundTrip(arrival, &ReceptionReport{}); ok {
		t.Fatal("round trip without LSR reported ok")
	}
}
