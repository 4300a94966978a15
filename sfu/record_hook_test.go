package sfu_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/plainrtc/plainrtc/annotate"
	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/sfu"
)

// Config.Record records a participant's whole session: the join's offer
// and answer, the room's renegotiation offer and its answer, the key log
// and every datagram, which then load and authenticate as a corpus
// session.
func TestRecordHookParticipant(t *testing.T) {
	var mu sync.Mutex
	recs := map[string]*sfu.Recorder{}
	var infos []sfu.SessionInfo
	_, base := startRoomServerWith(t, sfu.Config{Record: func(si sfu.SessionInfo) *sfu.Recorder {
		mu.Lock()
		defer mu.Unlock()
		infos = append(infos, si)
		if si.Name != "Ann" {
			return nil // only Ann's session is recorded
		}
		r := sfu.NewRecorder(0)
		recs[si.ID] = r
		return r
	}})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ann := joinRoom(t, ctx, base, "rec", "Ann")
	ann.waitFor(ctx, "welcome", nil)
	bob := joinRoom(t, ctx, base, "rec", "Bob")
	ann.waitFor(ctx, "offer", nil)
	bob.waitFor(ctx, "offer", nil)
	got := 0
	for round := uint16(0); got < 10 && round < 20; round++ {
		bob.publish(t, 5, round*5)
		ann.publish(t, 5, round*5)
		rctx, rcancel := context.WithTimeout(ctx, 300*time.Millisecond)
		for {
			pkt, err := ann.e.ReadRTP(rctx)
			if err != nil {
				break
			}
			if bytes.Contains(pkt, []byte("vp8 "+bob.id)) {
				got++
			}
		}
		rcancel()
	}
	if got < 10 {
		t.Fatalf("Ann received %d of Bob's video packets", got)
	}
	time.Sleep(100 * time.Millisecond) // RTCP both ways
	mu.Lock()
	rec := recs[ann.id]
	if len(infos) != 2 || infos[0].Kind != sfu.KindParticipant || infos[0].Room != "rec" || infos[0].ID != ann.id || infos[1].Name != "Bob" {
		t.Errorf("Record was asked about %+v", infos)
	}
	mu.Unlock()
	if rec == nil {
		t.Fatal("Ann's session was not recorded")
	}
	dir := filepath.Join(t.TempDir(), "ann")
	if err := rec.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"offer.sdp", "answer.sdp", "offer-2.sdp", "answer-2.sdp", "keylog.txt", "session.pcapng"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil || len(b) == 0 {
			t.Errorf("%s: %v (%d bytes)", f, err, len(b))
		}
	}
	// offer-2 is the room's offer of Bob's tracks (it carries his msid),
	// answer-2 Ann's answer to it.
	if b, _ := os.ReadFile(filepath.Join(dir, "offer-2.sdp")); !bytes.Contains(b, []byte("msid:"+bob.id)) {
		t.Errorf("offer-2.sdp does not offer Bob's tracks:\n%s", b)
	}
	s, err := conformance.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	checkRecording(t, s, 2*got, annotate.ToBrowser)
}
