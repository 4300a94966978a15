package sfu

import (
	"bufio"
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/sdp"
)

// An ICE restart (PATCH) is an "sdp" line naming the restart, and a check
// with the restarted credentials is shown with integrity ok: the inspector
// took the new passwords from the exchange.
func TestInspectorICERestart(t *testing.T) {
	s, err := New(Config{UDP: netip.MustParseAddrPort("127.0.0.1:0"), Logger: slog.New(slog.DiscardHandler), Inspector: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	hs := httptest.NewServer(s.APIHandler())
	defer hs.Close()
	offer := clientOffer("40", true)
	body, _ := json.Marshal(map[string]string{"name": "Ann", "token": "t", "offer": offer})
	resp, err := http.Post(hs.URL+"/api/rooms/r/join", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var jr struct{ ID, Secret, Answer, Inspect string }
	json.NewDecoder(resp.Body).Decode(&jr)
	resp.Body.Close()
	if jr.Inspect == "" {
		t.Fatal("no inspect token in the join answer")
	}
	restart := strings.NewReplacer("ice-ufrag:us40", "ice-ufrag:re40", "ice-pwd:0123456789abcdefghijklmn", "ice-pwd:zyxwvutsrqponmlkjihgfedc").Replace(offer)
	b, _ := json.Marshal(map[string]string{"secret": jr.Secret, "offer": restart})
	req, _ := http.NewRequest(http.MethodPatch, hs.URL+"/api/rooms/r/participants/"+jr.ID, bytes.NewReader(b))
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var out struct{ Answer string }
	json.NewDecoder(resp.Body).Decode(&out)
	resp.Body.Close()
	ans, err := sdp.Parse([]byte(out.Answer))
	if err != nil {
		t.Fatalf("restart: %d %v", resp.StatusCode, err)
	}
	ufrag, pwd, _ := ans.ICECredentials()

	if _, _, err := restartedCheck(s.MediaAddr(), ufrag, pwd); err != nil {
		t.Fatal(err)
	}

	ins := s.inspectionOf("r", jr.ID)
	var restartLine, checkLine bool
	for deadline := time.Now().Add(5 * time.Second); !(restartLine && checkLine) && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		for _, l := range feedLines(t, ins.in.feed) {
			if l.Layer == "sdp" && strings.HasPrefix(l.Summary, "renegotiation 2 (participant offered") && strings.Contains(l.Summary, "ICE restart: the participant's ice-ufrag us40 → re40") && l.Ref == "RFC 8445 §9" {
				restartLine = true
			}
			if l.Layer == "stun" && l.Dir == "in" && strings.HasPrefix(l.Summary, "Binding request") && strings.Contains(l.Summary, "integrity ok") {
				checkLine = true
			}
		}
	}
	if !restartLine || !checkLine {
		t.Errorf("restart line %v, check with integrity ok %v: %+v", restartLine, checkLine, feedLines(t, ins.in.feed))
	}

	// The stream: history, keepalive comments while nothing happens, and
	// its end after the session's last line.
	inspectKeepalive = 50 * time.Millisecond
	defer func() { inspectKeepalive = 15 * time.Second }()
	resp, err = http.Get(hs.URL + "/api/rooms/r/participants/" + jr.ID + "/inspect?token=" + jr.Inspect)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	var keepalives, data int
	var last string
	for sc.Scan() {
		switch l := sc.Text(); {
		case l == ": keepalive":
			if keepalives++; keepalives == 2 {
				b, _ := json.Marshal(map[string]string{"secret": jr.Secret})
				r, err := http.Post(hs.URL+"/api/rooms/r/participants/"+jr.ID+"/leave", "application/json", bytes.NewReader(b))
				if err != nil {
					t.Fatal(err)
				}
				r.Body.Close()
			}
		case strings.HasPrefix(l, "data: "):
			data++
			last = l
		}
	}
	if keepalives < 2 || data < 3 || !strings.Contains(last, `"summary":"session ended: left (HTTP)"`) {
		t.Errorf("stream: %d keepalives, %d lines, last %s", keepalives, data, last)
	}
}
