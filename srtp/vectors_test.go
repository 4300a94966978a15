package srtp

import (
	"bufio"
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

// vectorCase is one "[section]" of a testdata vector file.
type vectorCase struct {
	section string
	fields  map[string]string
}

func (v vectorCase) hex(t *testing.T, name string) []byte {
	t.Helper()
	s, ok := v.fields[name]
	if !ok {
		t.Fatalf("%s: no field %q", v.section, name)
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("%s: field %q: %v", v.section, name, err)
	}
	return b
}

// readVectors parses testdata/<file>: "[section]" lines start a case,
// "name = value" lines fill it, "#" starts a comment.
func readVectors(t *testing.T, file string) []vectorCase {
	t.Helper()
	f, err := os.Open("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []vectorCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		if line[0] == '[' {
			cases = append(cases, vectorCase{section: strings.Trim(line, "[]"), fields: map[string]string{}})
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || len(cases) == 0 {
			t.Fatalf("%s: bad line %q", file, line)
		}
		cases[len(cases)-1].fields[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatalf("%s: no vectors", file)
	}
	return cases
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
