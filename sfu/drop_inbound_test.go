package sfu

import "testing"

// The dropper loses about the fraction asked for, always the same
// packets, and nothing at 0.
func TestInboundDropper(t *testing.T) {
	count := func(f float64) (n int, first []int) {
		d := newInboundDropper(f)
		for i := range 100000 {
			if d.drop() {
				n++
				if len(first) < 5 {
					first = append(first, i)
				}
			}
		}
		return n, first
	}
	if n, _ := count(0); n != 0 {
		t.Fatalf("fraction 0 dropped %d", n)
	}
	if n, _ := count(1); n != 100000 {
		t.Fatalf("fraction 1 dropped %d of 100000", n)
	}
	n, a := count(0.05)
	if n < 4500 || n > 5500 {
		t.Fatalf("fraction 0.05 dropped %d of 100000", n)
	}
	if _, b := count(0.05); len(a) != 5 || a[0] != b[0] || a[4] != b[4] {
		t.Fatalf("not deterministic: %v vs %v", a, b)
	}
}
