package sfu

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

// Bad joins get a JSON error naming what is wrong, and a counter; limits
// give 503. Nobody else's session is touched.
func TestAPIRefusals(t *testing.T) {
	s, err := New(Config{UDP: netip.MustParseAddrPort("127.0.0.1:0"), Logger: slog.New(slog.DiscardHandler), MaxParticipants: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	hs := httptest.NewServer(s.APIHandler())
	defer hs.Close()
	join := func(room, ctype, body string) (int, string) {
		resp, err := http.Post(hs.URL+"/api/rooms/"+room+"/join", ctype, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var e struct{ Error string }
		json.NewDecoder(resp.Body).Decode(&e)
		return resp.StatusCode, e.Error
	}
	req := func(name, token string) string {
		b, _ := json.Marshal(map[string]string{"name": name, "token": token, "offer": clientOffer("30", true)})
		return string(b)
	}
	before := apiErrors.Load()
	for _, c := range []struct {
		room, ctype, body string
		code              int
		says              string
	}{
		{"r", "text/plain", req("Ann", "t1"), 415, "application/json"},
		{"r", "application/json", "{", 400, "not a join request"},
		{"r", "application/json", `{"name":"Ann","offer":"v=0\r\n"}`, 400, "bad offer"},
		{"r", "application/json", req("", "t1"), 400, "display name"},
		{"r", "application/json", req("A\x01nn", "t1"), 400, "control character"},
		{"%ff", "application/json", req("Ann", "t1"), 400, "UTF-8"},
		{"r", "application/json", strings.Repeat(" ", maxJoinBody+10), 413, "limit"},
	} {
		code, msg := join(c.room, c.ctype, c.body)
		if code != c.code || !strings.Contains(msg, c.says) {
			t.Errorf("join %q %s: %d %q, want %d saying %q", c.room, c.ctype, code, msg, c.code, c.says)
		}
	}
	if apiErrors.Load()-before != 7 {
		t.Errorf("api errors counted %d, want 7", apiErrors.Load()-before)
	}
	// A UTF-8 room name with a space works, escaped in the URL; the
	// second participant of a room limited to one gets 503.
	if code, msg := join("caf%C3%A9%20r", "application/json", req("Ann", "t1")); code != 201 {
		t.Fatalf("first join: %d %s", code, msg)
	}
	if code, msg := join("caf%C3%A9%20r", "application/json", req("Bob", "t2")); code != 503 || !strings.Contains(msg, "full") {
		t.Fatalf("second join into a full room: %d %q", code, msg)
	}
	// The same client token replaces its old self instead.
	if code, msg := join("caf%C3%A9%20r", "application/json", req("Ann again", "t1")); code != 201 {
		t.Fatalf("rejoin with the same token: %d %q", code, msg)
	}
	var room struct{ Participants []struct{ Name string } }
	resp, _ := http.Get(hs.URL + "/api/rooms/caf%C3%A9%20r")
	json.NewDecoder(resp.Body).Decode(&room)
	resp.Body.Close()
	if len(room.Participants) != 1 || room.Participants[0].Name != "Ann again" {
		t.Fatalf("after rejoin: %+v", room)
	}
}
