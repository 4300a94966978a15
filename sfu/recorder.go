package sfu

import (
	"archive/tar"
	"archive/zip"
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/plainrtc/plainrtc/internal/pcapng"
	"github.com/plainrtc/plainrtc/sfu/transport"
)

// DefaultRecorderMaxBytes is the size a Recorder stops at when NewRecorder
// is given 0: about a minute of one camera and microphone.
const DefaultRecorderMaxBytes = 32 << 20

// recorderChunk is the size of the buffers packet blocks are kept in: the
// recording grows a chunk at a time, never copying what it holds, so a
// datagram never waits under the lock for a large copy.
const recorderChunk = 1 << 20

// recorderMaxSDPs bounds the SDP files of one recording (a session that
// renegotiates forever keeps its first ones).
const recorderMaxSDPs = 64

// Recorder collects one participant's session as a corpus folder (the
// layout package conformance loads and rtcdump reads): every datagram in
// and out with its time and real addresses as session.pcapng, the DTLS
// master secret as an NSS key log (keylog.txt), the SDPs in the order they
// were exchanged (offer.sdp, answer.sdp, offer-2.sdp, answer-2.sdp, …) and
// meta.json saying what was recorded. Everything counts against one byte
// cap; past it datagrams are not kept, the recording is marked truncated
// (meta.json "truncated", a TRUNCATED.txt file and the pcapng section
// comment say how much is missing), and the key log and SDPs still fit
// in the reserve kept for them.
//
// All methods are safe for concurrent use: datagrams come from the read
// loop and the sender workers at once. Datagram copies what it keeps.
type Recorder struct {
	mu        sync.Mutex
	max       int      // cap on the bytes of everything kept
	reserve   int      // of max, kept for the key log and SDPs
	packets   [][]byte // pcapng packet blocks, in chunks of recorderChunk bytes
	pktBytes  int      // their total length
	frame     []byte
	keyLog    []byte
	sdps      []recordedSDP
	offers    int
	answers   int
	size      int // bytes kept: packets + key log + SDPs
	datagrams int
	first     time.Time
	last      time.Time
	// Past the cap, or not representable in a capture.
	dropped, droppedBytes, unrecordable int
	keyLogDropped, sdpsDropped          int
}

type recordedSDP struct {
	name string
	data []byte
}

// NewRecorder returns a Recorder that keeps at most maxBytes (0 means
// DefaultRecorderMaxBytes); a quarter of it, at most 256 KiB, is kept for
// the key log and SDPs.
func NewRecorder(maxBytes int) *Recorder {
	if maxBytes <= 0 {
		maxBytes = DefaultRecorderMaxBytes
	}
	return &Recorder{max: maxBytes, reserve: min(maxBytes/4, 256<<10)}
}

// Datagram records one UDP datagram with the time it was read or written
// and its 5-tuple as on the wire: for one the SFU received, src is the
// participant's address and dst the SFU's socket; for one it sent, the
// other way round. b is copied. A datagram whose addresses are not one IP
// family is counted as unrecordable.
func (r *Recorder) Datagram(at time.Time, src, dst netip.AddrPort, b []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var err error
	if r.frame, err = pcapng.AppendIPUDP(r.frame[:0], src, dst, b); err != nil {
		r.unrecordable++
		return
	}
	n := pcapng.PacketSize(len(r.frame))
	if r.dropped > 0 || r.pktBytes+n > r.max-r.reserve {
		r.dropped++
		r.droppedBytes += len(b)
		return
	}
	last := len(r.packets) - 1
	if last < 0 || cap(r.packets[last])-len(r.packets[last]) < n {
		r.packets = append(r.packets, make([]byte, 0, max(recorderChunk, n)))
		last++
	}
	r.packets[last] = pcapng.AppendPacket(r.packets[last], 0, at, r.frame)
	r.pktBytes += n
	r.size += n
	r.datagrams++
	if r.first.IsZero() {
		r.first = at
	}
	r.last = at
}

// KeyLog is the writer to give the session's DTLS handshake
// (transport.DTLSParams.KeyLogWriter): it keeps the NSS key log lines.
func (r *Recorder) KeyLog() io.Writer { return recorderKeyLog{r} }

type recorderKeyLog struct{ r *Recorder }

func (k recorderKeyLog) Write(p []byte) (int, error) {
	r := k.r
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.size+len(p) > r.max {
		r.keyLogDropped++
		return len(p), nil // pion logs a failed write and goes on; the marker says it
	}
	r.keyLog = append(r.keyLog, p...)
	r.size += len(p)
	return len(p), nil
}

// Offer records an SDP offer (the participant's or the SFU's): the first
// is offer.sdp, the n-th offer-n.sdp.
func (r *Recorder) Offer(sdp []byte) { r.addSDP("offer", &r.offers, sdp) }

// Answer records the SDP answer to the last offer: answer.sdp, then
// answer-n.sdp.
func (r *Recorder) Answer(sdp []byte) { r.addSDP("answer", &r.answers, sdp) }

func (r *Recorder) addSDP(kind string, count *int, sdp []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.sdps) >= recorderMaxSDPs || r.size+len(sdp) > r.max {
		r.sdpsDropped++
		return
	}
	*count++
	name := kind + ".sdp"
	if *count > 1 {
		name = fmt.Sprintf("%s-%d.sdp", kind, *count)
	}
	r.sdps = append(r.sdps, recordedSDP{name, append([]byte(nil), sdp...)})
	r.size += len(sdp)
}

// RecorderStats is what a Recorder holds and what it had to leave out.
type RecorderStats struct {
	MaxBytes            int  `json:"max_bytes"`
	Bytes               int  `json:"bytes"` // kept, all files but meta.json
	Datagrams           int  `json:"datagrams"`
	DroppedDatagrams    int  `json:"dropped_datagrams"` // past the cap
	DroppedBytes        int  `json:"dropped_bytes"`     // their payload bytes
	Unrecordable        int  `json:"unrecordable"`      // addresses of two IP families
	KeyLogWritesDropped int  `json:"keylog_writes_dropped"`
	SDPsDropped         int  `json:"sdps_dropped"`
	Truncated           bool `json:"truncated"` // something above was left out
}

// Stats returns the recorder's counts.
func (r *Recorder) Stats() RecorderStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.statsLocked()
}

func (r *Recorder) statsLocked() RecorderStats {
	return RecorderStats{
		MaxBytes: r.max, Bytes: r.size, Datagrams: r.datagrams,
		DroppedDatagrams: r.dropped, DroppedBytes: r.droppedBytes, Unrecordable: r.unrecordable,
		KeyLogWritesDropped: r.keyLogDropped, SDPsDropped: r.sdpsDropped,
		Truncated: r.dropped+r.unrecordable+r.keyLogDropped+r.sdpsDropped > 0,
	}
}

// RecordedFile is one file of a recording.
type RecordedFile struct {
	Name string
	Data []byte
}

// truncationNote says what a truncated recording lacks.
func truncationNote(s RecorderStats) string {
	return fmt.Sprintf("plainrtc recorder: TRUNCATED at the %d-byte cap: %d datagrams (%d payload bytes) after the first %d, "+
		"%d key log writes and %d SDPs not recorded; %d datagrams had addresses of two IP families",
		s.MaxBytes, s.DroppedDatagrams, s.DroppedBytes, s.Datagrams, s.KeyLogWritesDropped, s.SDPsDropped, s.Unrecordable)
}

// Files returns a snapshot of the recording as corpus files, in this
// order: session.pcapng, keylog.txt, the SDPs as exchanged, meta.json, and
// TRUNCATED.txt when something was left out. The recorder goes on
// recording; the snapshot shares nothing with it.
func (r *Recorder) Files() []RecordedFile {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.statsLocked()
	comment := fmt.Sprintf("plainrtc recorder: one participant's session, %d datagrams, complete", s.Datagrams)
	if s.Truncated {
		comment = truncationNote(s)
	}
	capture := pcapng.AppendSectionHeader(make([]byte, 0, r.pktBytes+512+len(comment)), comment)
	capture = pcapng.AppendInterface(capture, pcapng.LinkTypeRaw, "plainrtc")
	for _, c := range r.packets {
		capture = append(capture, c...)
	}
	files := []RecordedFile{
		{"session.pcapng", capture},
		{"keylog.txt", append([]byte(nil), r.keyLog...)},
	}
	for _, f := range r.sdps {
		files = append(files, RecordedFile{f.name, append([]byte(nil), f.data...)})
	}
	meta := struct {
		Recorder  RecorderStats `json:"recorder"`
		Truncated bool          `json:"truncated"`
		First     string        `json:"first,omitempty"` // time of the first datagram kept
		Last      string        `json:"last,omitempty"`
	}{Recorder: s, Truncated: s.Truncated}
	if !r.first.IsZero() {
		meta.First, meta.Last = r.first.UTC().Format(time.RFC3339Nano), r.last.UTC().Format(time.RFC3339Nano)
	}
	mb, _ := json.MarshalIndent(meta, "", "  ")
	files = append(files, RecordedFile{"meta.json", append(mb, '\n')})
	if s.Truncated {
		files = append(files, RecordedFile{"TRUNCATED.txt", []byte(truncationNote(s) + "\n")})
	}
	return files
}

// WriteDir writes the recording into dir (created if missing) as a corpus
// folder.
func (r *Recorder) WriteDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range r.Files() {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// WriteZip writes the recording as a zip archive whose files sit in the
// folder named dir (e.g. the session's name), for an HTTP download.
func (r *Recorder) WriteZip(w io.Writer, dir string) error {
	z := zip.NewWriter(w)
	now := time.Now()
	for _, f := range r.Files() {
		fw, err := z.CreateHeader(&zip.FileHeader{Name: dir + "/" + f.Name, Method: zip.Deflate, Modified: now})
		if err != nil {
			return err
		}
		if _, err := fw.Write(f.Data); err != nil {
			return err
		}
	}
	return z.Close()
}

// WriteTar writes the recording as a tar archive (POSIX ustar) whose files
// sit in the folder named dir.
func (r *Recorder) WriteTar(w io.Writer, dir string) error {
	t := tar.NewWriter(w)
	now := time.Now()
	if err := t.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: dir + "/", Mode: 0o755, ModTime: now}); err != nil {
		return err
	}
	for _, f := range r.Files() {
		if err := t.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: dir + "/" + f.Name, Mode: 0o644, Size: int64(len(f.Data)), ModTime: now}); err != nil {
			return err
		}
		if _, err := t.Write(f.Data); err != nil {
			return err
		}
	}
	return t.Close()
}

// A Recorder is a transport.Tap: Peer.SetTap(rec) records a session.
var _ transport.Tap = (*Recorder)(nil)
