package sfu

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
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

// A room can be created ahead with a topic; a private one gets an
// unguessable name and is never listed, though its link works.
func TestAPICreateRooms(t *testing.T) {
	s, err := New(Config{UDP: netip.MustParseAddrPort("127.0.0.1:0"), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	hs := httptest.NewServer(s.APIHandler())
	defer hs.Close()
	create := func(body string) (int, map[string]any) {
		resp, err := http.Post(hs.URL+"/api/rooms", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, m
	}
	if code, m := create(`{"name":"Spanish B1","topic":"ordering food"}`); code != 201 || m["name"] != "Spanish B1" {
		t.Fatalf("public room: %d %v", code, m)
	}
	if code, _ := create(`{"name":"Spanish B1"}`); code != 409 {
		t.Fatalf("same name again: %d", code)
	}
	if code, _ := create(`{"name":"~mine"}`); code != 400 {
		t.Fatalf("a public name in the private space: %d", code)
	}
	code, m := create(`{"name":"ignored","topic":"secret club","private":true}`)
	private, _ := m["name"].(string)
	if code != 201 || !strings.HasPrefix(private, "~") || len(private) < 30 {
		t.Fatalf("private room: %d %v", code, m)
	}
	join := func(room, name string) {
		b, _ := json.Marshal(map[string]string{"name": name, "token": name, "offer": clientOffer("50", true)})
		resp, err := http.Post(hs.URL+"/api/rooms/"+url.PathEscape(room)+"/join", "application/json", strings.NewReader(string(b)))
		if err != nil || resp.StatusCode != 201 {
			t.Fatalf("join %s: %v %d", room, err, resp.StatusCode)
		}
		resp.Body.Close()
	}
	join("Spanish B1", "Ann")
	join(private, "Bob")
	resp, _ := http.Get(hs.URL + "/api/rooms")
	var list struct {
		Rooms []struct {
			Name, Topic  string
			Participants int
		}
	}
	json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	if len(list.Rooms) != 1 || list.Rooms[0].Name != "Spanish B1" || list.Rooms[0].Topic != "ordering food" || list.Rooms[0].Participants != 1 {
		t.Fatalf("listing: %+v", list)
	}
	resp, _ = http.Get(hs.URL + "/api/rooms/" + url.PathEscape(private))
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("the private room's own link: %d", resp.StatusCode)
	}
}
