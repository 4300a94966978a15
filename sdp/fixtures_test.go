package sdp

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixtureVerdict is the expected outcome for one file of
// testdata/fixtures, decided by reading the file against RFC 8866's
// grammar (Parse) and the attribute rules Validate enforces.
type fixtureVerdict struct {
	parseLine    int    // 0: Parse accepts; else the line its error names
	parseRule    string // substring of the rule Parse reports
	validateLine int    // 0: Validate accepts; else the line it names
	validateRule string
}

var fixtureVerdicts = map[string]fixtureVerdict{
	// sdp-transform (MIT)
	"sdp-transform/alac.sdp": {validateLine: 7, validateRule: "rtpmap needs"}, // "a=rtpmap:96 AppleLossless" lacks /<clock rate> (§6.6)
	// "s=" is empty; text is 1*byte (RFC 8866 §5.3, §9). Browsers send "s=-".
	"sdp-transform/bfcp.sdp":           {parseLine: 3, parseRule: "s= must not be empty"},
	"sdp-transform/dante-aes67.sdp":    {},
	"sdp-transform/extmap-encrypt.sdp": {parseLine: 3, parseRule: "s= must not be empty"},
	// hacky.sdp is odd (ptime 0.125, tcptype so, a=framerate in an
	// application section) but breaks no grammar rule.
	"sdp-transform/hacky.sdp":        {},
	"sdp-transform/icelite.sdp":      {},
	"sdp-transform/invalid.sdp":      {parseLine: 10, parseRule: "unknown type letter f"},
	"sdp-transform/jsep.sdp":         {},
	"sdp-transform/jssip.sdp":        {},
	"sdp-transform/normal.sdp":       {parseLine: 3, parseRule: "s= must not be empty"},
	"sdp-transform/onvif.sdp":        {parseLine: 4, parseRule: "missing t= line"}, // no t= (§5.9: one or more)
	"sdp-transform/rtcp-fb.sdp":      {},
	"sdp-transform/simulcast.sdp":    {parseLine: 5, parseRule: "c= after t="}, // session c= must precede t= (§5)
	"sdp-transform/ssrc.sdp":         {},
	"sdp-transform/sctp-dtls-26.sdp": {},
	"sdp-transform/st2022-6.sdp":     {},
	// "a=mid:secondary;" – ';' is not a token-char (RFC 8866 §9, RFC 5888 §4).
	"sdp-transform/st2110-20.sdp":   {validateLine: 23, validateRule: "mid identification-tag must be a token"},
	"sdp-transform/tcp-active.sdp":  {parseLine: 4, parseRule: "missing t= line"},
	"sdp-transform/tcp-passive.sdp": {parseLine: 4, parseRule: "missing t= line"},
	// c= before s= (§5 order v o s ... c).
	"sdp-transform/mediaclk-avbtp.sdp":         {parseLine: 3, parseRule: "third line must be s="},
	"sdp-transform/mediaclk-ptp-v2-w-rate.sdp": {parseLine: 3, parseRule: "third line must be s="},
	"sdp-transform/mediaclk-ptp-v2.sdp":        {parseLine: 3, parseRule: "third line must be s="},
	"sdp-transform/mediaclk-rtp.sdp":           {parseLine: 3, parseRule: "third line must be s="},
	"sdp-transform/ts-refclk-media.sdp":        {},
	"sdp-transform/ts-refclk-sess.sdp":         {},

	// webrtc-sdp (MPL-2.0). Files starting with ';' comment lines are for
	// that project's example parser only; a ';' line is not <type>=<value>.
	"webrtc-sdp/02.sdp": {},
	"webrtc-sdp/03.sdp": {parseLine: 1, parseRule: "not <type>=<value>"},
	"webrtc-sdp/04.sdp": {},
	"webrtc-sdp/05.sdp": {},
	"webrtc-sdp/06.sdp": {},
	"webrtc-sdp/07.sdp": {}, // "s= " (one space) is the recommended empty name
	"webrtc-sdp/08.sdp": {parseLine: 1, parseRule: "not <type>=<value>"},
	"webrtc-sdp/09.sdp": {},
	"webrtc-sdp/10.sdp": {},
	"webrtc-sdp/11.sdp": {parseLine: 1, parseRule: "not <type>=<value>"},
	"webrtc-sdp/12.sdp": {},
	"webrtc-sdp/13.sdp": {},
	// 14-32: a media-level attribute at session level.
	"webrtc-sdp/14.sdp": {validateLine: 6, validateRule: "a=candidate is a media-level"},
	"webrtc-sdp/15.sdp": {validateLine: 6, validateRule: "a=bundle-only is a media-level"},
	"webrtc-sdp/16.sdp": {validateLine: 6, validateRule: "a=fmtp is a media-level"},
	"webrtc-sdp/17.sdp": {validateLine: 6, validateRule: "a=ice-mismatch is a media-level"},
	"webrtc-sdp/18.sdp": {validateLine: 6, validateRule: "a=imageattr is a media-level"},
	"webrtc-sdp/19.sdp": {validateLine: 6, validateRule: "a=label is a media-level"},
	"webrtc-sdp/20.sdp": {validateLine: 6, validateRule: "a=maxptime is a media-level"},
	"webrtc-sdp/21.sdp": {validateLine: 6, validateRule: "a=mid is a media-level"},
	"webrtc-sdp/22.sdp": {validateLine: 6, validateRule: "a=msid is a media-level"},
	"webrtc-sdp/23.sdp": {validateLine: 6, validateRule: "a=ptime is a media-level"},
	"webrtc-sdp/24.sdp": {validateLine: 6, validateRule: "a=remote-candidates is a media-level"},
	"webrtc-sdp/25.sdp": {validateLine: 6, validateRule: "a=rtcp is a media-level"},
	"webrtc-sdp/26.sdp": {validateLine: 6, validateRule: "a=rtcp-fb is a media-level"},
	"webrtc-sdp/27.sdp": {validateLine: 6, validateRule: "a=rtcp-mux is a media-level"},
	"webrtc-sdp/28.sdp": {validateLine: 6, validateRule: "a=rtcp-rsize is a media-level"},
	"webrtc-sdp/29.sdp": {validateLine: 6, validateRule: "a=rtpmap is a media-level"},
	"webrtc-sdp/30.sdp": {validateLine: 6, validateRule: "a=sctpmap is a media-level"},
	"webrtc-sdp/31.sdp": {validateLine: 6, validateRule: "a=ssrc is a media-level"},
	"webrtc-sdp/32.sdp": {validateLine: 6, validateRule: "a=ssrc-group is a media-level"},
	"webrtc-sdp/33.sdp": {validateLine: 9, validateRule: "imageattr needs"},
	"webrtc-sdp/34.sdp": {},
	"webrtc-sdp/35.sdp": {},
	"webrtc-sdp/36.sdp": {},
	"webrtc-sdp/37.sdp": {},
	"webrtc-sdp/38.sdp": {},
	"webrtc-sdp/39.sdp": {},
	"webrtc-sdp/40.sdp": {},
	// Ends with an empty line (the file ends "\n\n"); §5 has no empty lines.
	"webrtc-sdp/41.sdp": {parseLine: 91, parseRule: "empty line"},
}

// normalizeLineEnds turns LF line ends into CRLF and adds a final CRLF,
// the form Marshal writes.
func normalizeLineEnds(b []byte) []byte {
	s := strings.ReplaceAll(string(b), "\r\n", "\n")
	s = strings.ReplaceAll(s, "\n", "\r\n")
	if !strings.HasSuffix(s, "\r\n") {
		s += "\r\n"
	}
	return []byte(s)
}

func TestFixtures(t *testing.T) {
	files, err := filepath.Glob("testdata/fixtures/*/*.sdp")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	seen := map[string]bool{}
	for _, f := range files {
		name := strings.TrimPrefix(filepath.ToSlash(f), "testdata/fixtures/")
		seen[name] = true
		t.Run(name, func(t *testing.T) {
			want, ok := fixtureVerdicts[name]
			if !ok {
				t.Fatalf("no verdict for %s: read it against RFC 8866 and add one", name)
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			s, err := Parse(b)
			if want.parseLine != 0 {
				checkLineError(t, err, want.parseLine, want.parseRule)
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got, norm := s.Marshal(), normalizeLineEnds(b); !bytes.Equal(got, norm) {
				t.Errorf("round trip differs:\n got %q\nwant %q", got, norm)
			}
			err = s.Validate()
			if want.validateLine != 0 {
				checkLineError(t, err, want.validateLine, want.validateRule)
			} else if err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
	for name := range fixtureVerdicts {
		if !seen[name] {
			t.Errorf("verdict for missing fixture %s", name)
		}
	}
}

func checkLineError(t *testing.T, err error, line int, rule string) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("got %v, want a *ParseError at line %d", err, line)
	}
	if pe.Line != line || !strings.Contains(pe.Rule, rule) {
		t.Fatalf("got %v, want line %d with rule containing %q", err, line, rule)
	}
	if !strings.Contains(err.Error(), "(RFC") && !strings.Contains(err.Error(), "(draft-") {
		t.Errorf("error %q does not cite its RFC or draft", err)
	}
}
