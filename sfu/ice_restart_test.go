package sfu

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/sdp"
	"github.com/plainrtc/plainrtc/stun"
)

// A participant restarts ICE over HTTP (PATCH): the answer has new ICE
// credentials, the same sections and DTLS role, and a check with the new
// credentials is answered by the same session; a restart without new
// credentials, with another fingerprint or with the wrong secret is
// refused.
func TestParticipantICERestart(t *testing.T) {
	s, err := New(Config{UDP: netip.MustParseAddrPort("127.0.0.1:0"), Logger: slog.New(slog.DiscardHandler)})
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
	var jr struct{ ID, Secret, Answer string }
	json.NewDecoder(resp.Body).Decode(&jr)
	resp.Body.Close()
	first, err := sdp.Parse([]byte(jr.Answer))
	if err != nil {
		t.Fatal(err)
	}
	oldUfrag, _, _ := first.ICECredentials()

	patch := func(secret, offer string) (int, string) {
		b, _ := json.Marshal(map[string]string{"secret": secret, "offer": offer})
		req, _ := http.NewRequest(http.MethodPatch, hs.URL+"/api/rooms/r/participants/"+jr.ID, bytes.NewReader(b))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct{ Answer, Error string }
		json.NewDecoder(resp.Body).Decode(&out)
		if resp.StatusCode != 200 {
			return resp.StatusCode, out.Error
		}
		return resp.StatusCode, out.Answer
	}
	if code, msg := patch(jr.Secret, offer); code != 400 || !strings.Contains(msg, "not an ICE restart") {
		t.Fatalf("same credentials: %d %q", code, msg)
	}
	restart := strings.NewReplacer("ice-ufrag:us40", "ice-ufrag:re40", "ice-pwd:0123456789abcdefghijklmn", "ice-pwd:zyxwvutsrqponmlkjihgfedc").Replace(offer)
	if code, _ := patch("wrong", restart); code != 404 {
		t.Fatalf("wrong secret: %d", code)
	}
	if code, msg := patch(jr.Secret, strings.ReplaceAll(restart, "6B:8B", "6C:8B")); code != 400 || !strings.Contains(msg, "fingerprint") {
		t.Fatalf("new fingerprint: %d %q", code, msg)
	}
	code, answer := patch(jr.Secret, restart)
	if code != 200 {
		t.Fatalf("restart: %d %s", code, answer)
	}
	ans, err := sdp.Parse([]byte(answer))
	if err != nil {
		t.Fatal(err)
	}
	ufrag, pwd, _ := ans.ICECredentials()
	setup, _ := ans.Setup(nil)
	firstSetup, _ := first.Setup(nil)
	if ufrag == oldUfrag || len(ans.Media) != len(first.Media) || setup != firstSetup {
		t.Fatalf("restart answer: ufrag %s (was %s), %d sections (was %d), setup %s (was %s)", ufrag, oldUfrag, len(ans.Media), len(first.Media), setup, firstSetup)
	}

	// A check with the new credentials reaches the session and succeeds.
	check, tid, err := restartedCheck(s.MediaAddr(), ufrag, pwd)
	var m stun.Message
	if err != nil || m.Unmarshal(check) != nil || m.Type != stun.BindingSuccess || m.TransactionID != tid {
		t.Fatalf("check with the restarted credentials: %v %v", err, m.Type)
	}
}

// restartedCheck sends to addr, from a new socket, a controlling Binding
// request signed with the restarted session's ufrag and pwd (the client's
// ufrag is re40) and returns the response.
func restartedCheck(addr netip.AddrPort, ufrag, pwd string) ([]byte, stun.TransactionID, error) {
	var tid stun.TransactionID
	c, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.MustParseAddrPort("127.0.0.1:0")))
	if err != nil {
		return nil, tid, err
	}
	defer c.Close()
	rand.Read(tid[:])
	var b stun.Builder
	b.Reset(make([]byte, 0, 256), stun.BindingRequest, tid)
	b.AddString(stun.AttrUsername, ufrag+":re40")
	b.AddPriority(1853824767)
	b.AddICEControlling(1)
	b.AddMessageIntegrity(stun.NewShortTermIntegrity(pwd))
	b.AddFingerprint()
	req, _ := b.Bytes()
	if _, err := c.WriteToUDPAddrPort(req, addr); err != nil {
		return nil, tid, err
	}
	buf := make([]byte, 1500)
	c.SetReadDeadline(time.Now().Add(3 * time.Second))
	n, _, err := c.ReadFromUDPAddrPort(buf)
	return buf[:n], tid, err
}
