package conformance

import (
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"testing"
)

// CorpusDir returns the absolute path of conformance/testdata/corpus, found
// from this source file so that it works from any package's tests. When the
// source path is not usable (a -trimpath build), it looks in the working
// directory and its parents.
func CorpusDir() string {
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		dir := filepath.Join(filepath.Dir(file), "testdata", "corpus")
		if _, err := os.Stat(dir); err == nil {
			return dir
		}
	}
	rel := filepath.Join("conformance", "testdata", "corpus")
	wd, err := os.Getwd()
	if err != nil {
		return rel
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		c := filepath.Join(dir, rel)
		if filepath.Base(dir) == "conformance" { // running conformance's own tests
			c = filepath.Join(dir, "testdata", "corpus")
		}
		if _, err := os.Stat(c); err == nil {
			return c
		}
		if filepath.Dir(dir) == dir {
			return filepath.Join(wd, rel)
		}
	}
}

// Sessions returns the corpus folder paths in name order: every directory
// of CorpusDir that has a session.pcapng or session.pcap.
func Sessions() ([]string, error) {
	entries, err := os.ReadDir(CorpusDir())
	if err != nil {
		return nil, err
	}
	var dirs []string
	for _, e := range entries {
		dir := filepath.Join(CorpusDir(), e.Name())
		if !e.IsDir() {
			continue
		}
		for _, c := range []string{"session.pcapng", "session.pcap"} {
			if _, err := os.Stat(filepath.Join(dir, c)); err == nil {
				dirs = append(dirs, dir)
				break
			}
		}
	}
	sort.Strings(dirs)
	return dirs, nil
}

// ForEachSession runs fn as a subtest named after each corpus folder. A
// folder that fails to load fails its subtest; an empty corpus fails t.
func ForEachSession(t *testing.T, fn func(t *testing.T, s *Session)) {
	t.Helper()
	for _, dir := range corpusDirs(t) {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			s, err := Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			fn(t, s)
		})
	}
}

// ForEachDerived runs fn on every Variant of every corpus folder, as
// subtests named "<folder>/<variant>". The suites call it beside
// ForEachSession with the same checks: a check that assumes the seeds'
// setup (browser offers, controls ICE and is the DTLS server; answerer
// ICE-lite; audio, video and a data channel) fails here.
func ForEachDerived(t *testing.T, fn func(t *testing.T, s *Session)) {
	t.Helper()
	for _, dir := range corpusDirs(t) {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			orig, err := Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range Variants {
				t.Run(v.Name, func(t *testing.T) {
					s, err := Derive(orig, v.Name)
					if err != nil {
						t.Fatal(err)
					}
					fn(t, s)
				})
			}
		})
	}
}

// loaded caches Load per absolute folder path; tests may run in parallel.
var (
	loadedMu sync.Mutex
	loaded   = map[string]*loadOnce{}
)

type loadOnce struct {
	once sync.Once
	s    *Session
	err  error
}

func loadCached(abs string) (*Session, error) {
	loadedMu.Lock()
	l := loaded[abs]
	if l == nil {
		l = &loadOnce{}
		loaded[abs] = l
	}
	loadedMu.Unlock()
	l.once.Do(func() { l.s, l.err = load(abs) })
	return l.s, l.err
}

// corpusDirs lists the corpus folders, failing t when there are none.
func corpusDirs(t *testing.T) []string {
	t.Helper()
	dirs, err := Sessions()
	if err != nil {
		t.Fatalf("conformance: reading corpus: %v", err)
	}
	if len(dirs) == 0 {
		t.Fatalf("conformance: no sessions in %s", CorpusDir())
	}
	return dirs
}
