// Command benchtable reads `go test -bench` output of the bench module and
// prints Markdown tables of the medians: plainrtc beside pion for every
// benchmark named BenchmarkX/.../plainrtc and BenchmarkX/.../pion, with the
// ratio pion/plainrtc (above 1 means plainrtc is faster), and plainrtc
// beside the floor where a .../floor variant exists.
//
//	go run ./cmd/benchtable raw.txt
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

var procSuffix = regexp.MustCompile(`-\d+$`)

// samples[base][impl][unit] lists the values measured.
type samples map[string]map[string]map[string][]float64

func read(r io.Reader, s samples, order *[]string) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name := procSuffix.ReplaceAllString(strings.TrimPrefix(f[0], "Benchmark"), "")
		i := strings.LastIndexByte(name, '/')
		if i < 0 {
			continue
		}
		base, impl := name[:i], name[i+1:]
		if s[base] == nil {
			s[base] = map[string]map[string][]float64{}
			*order = append(*order, base)
		}
		if s[base][impl] == nil {
			s[base][impl] = map[string][]float64{}
		}
		for k := 2; k+1 < len(f); k += 2 {
			v, err := strconv.ParseFloat(f[k], 64)
			if err != nil {
				return fmt.Errorf("%q: %v", sc.Text(), err)
			}
			s[base][impl][f[k+1]] = append(s[base][impl][f[k+1]], v)
		}
	}
	return sc.Err()
}

func median(v []float64) (float64, bool) {
	if len(v) == 0 {
		return 0, false
	}
	v = slices.Clone(v)
	sort.Float64s(v)
	if len(v)%2 == 1 {
		return v[len(v)/2], true
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2, true
}

func num(v float64) string {
	switch {
	case v == float64(int64(v)):
		return strconv.FormatInt(int64(v), 10)
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

func cell(s samples, base, impl, unit string) string {
	m, ok := median(s[base][impl][unit])
	if !ok {
		return "–"
	}
	return num(m)
}

func ratio(s samples, base, num_, den, unit string) string {
	a, ok1 := median(s[base][num_][unit])
	b, ok2 := median(s[base][den][unit])
	if !ok1 || !ok2 || b == 0 {
		return "–"
	}
	return strconv.FormatFloat(a/b, 'f', 2, 64) + "×"
}

func main() {
	s := samples{}
	var order []string
	if len(os.Args) < 2 {
		if err := read(os.Stdin, s, &order); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	for _, path := range os.Args[1:] {
		f, err := os.Open(path)
		if err == nil {
			err = read(f, s, &order)
			f.Close()
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	fmt.Println("| benchmark | ns/op plainrtc | ns/op pion | pion/plainrtc | cpu-ns/op plainrtc | cpu-ns/op pion | pion/plainrtc (cpu) | B/op plainrtc / pion | allocs/op plainrtc / pion |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, b := range order {
		if s[b]["plainrtc"] == nil {
			continue
		}
		fmt.Printf("| %s | %s | %s | %s | %s | %s | %s | %s / %s | %s / %s |\n", b,
			cell(s, b, "plainrtc", "ns/op"), cell(s, b, "pion", "ns/op"), ratio(s, b, "pion", "plainrtc", "ns/op"),
			cell(s, b, "plainrtc", "cpu-ns/op"), cell(s, b, "pion", "cpu-ns/op"), ratio(s, b, "pion", "plainrtc", "cpu-ns/op"),
			cell(s, b, "plainrtc", "B/op"), cell(s, b, "pion", "B/op"),
			cell(s, b, "plainrtc", "allocs/op"), cell(s, b, "pion", "allocs/op"))
	}
	var floors []string
	for _, b := range order {
		if s[b]["floor"] != nil {
			floors = append(floors, b)
		}
	}
	if len(floors) == 0 {
		return
	}
	fmt.Println()
	fmt.Println("| benchmark | ns/op floor | ns/op plainrtc | plainrtc/floor | ns/op pion | pion/floor | cpu-ns/op floor | cpu-ns/op plainrtc | plainrtc/floor (cpu) | cpu-ns/op pion | pion/floor (cpu) |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, b := range floors {
		fmt.Printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", b,
			cell(s, b, "floor", "ns/op"), cell(s, b, "plainrtc", "ns/op"), ratio(s, b, "plainrtc", "floor", "ns/op"),
			cell(s, b, "pion", "ns/op"), ratio(s, b, "pion", "floor", "ns/op"),
			cell(s, b, "floor", "cpu-ns/op"), cell(s, b, "plainrtc", "cpu-ns/op"), ratio(s, b, "plainrtc", "floor", "cpu-ns/op"),
			cell(s, b, "pion", "cpu-ns/op"), ratio(s, b, "pion", "floor", "cpu-ns/op"))
	}
}
