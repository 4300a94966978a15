package sfu

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/plainrtc/plainrtc/annotate"
	"github.com/plainrtc/plainrtc/rtp"
)

// mediaWindow is the period of the RTP and RTCP summaries.
const mediaWindow = time.Second

// windowSlack lets a window close on the tick that ends it although the
// ticker fires a little early or the last flush ran a little late.
const windowSlack = 100 * time.Millisecond

// inspectMaxStreams bounds the RTP streams a session's inspector sums.
const inspectMaxStreams = 64

// mediaStats sums RTP per stream (direction and SSRC) and RTCP per
// direction and packet type, for one line each per mediaWindow.
type mediaStats struct {
	start   time.Time
	streams map[streamID]*inspectStream
	rtcps   map[rtcpID]*inspectRTCP
}

type streamID struct {
	dir  string
	ssrc uint32
}

type rtcpID struct {
	dir, typ string
}

// inspectStream is one RTP stream's counts: those of the current window
// and the running RFC 3550 state (§A.1 sequence, §A.3 loss, §A.8 jitter).
type inspectStream struct {
	pt         uint8
	codec      string
	rate       uint32 // clock rate from the codec name, 0 unknown
	packets    int
	bytes      int
	keyframes  int
	authFailed int
	src        rtp.Source
	lostBefore int32
	jitter     rtp.Jitter
	last       *annotate.Record
}

type inspectRTCP struct {
	count  int
	last   annotate.RTCPPacket
	record *annotate.Record
	failed int // SRTCP that did not authenticate
}

func (m *mediaStats) init() {
	m.streams = map[streamID]*inspectStream{}
	m.rtcps = map[rtcpID]*inspectRTCP{}
}

func (m *mediaStats) rtp(at time.Time, dir string, r *annotate.Record) {
	if m.start.IsZero() {
		m.start = at
	}
	h := r.RTP
	id := streamID{dir, h.SSRC}
	st := m.streams[id]
	if st == nil {
		if len(m.streams) >= inspectMaxStreams {
			m.forgetIdle()
			if len(m.streams) >= inspectMaxStreams {
				return // an SSRC spray: the summaries stay readable
			}
		}
		st = &inspectStream{}
		m.streams[id] = st
	}
	if st.codec != h.Codec || st.pt != h.PT {
		st.pt, st.codec, st.rate = h.PT, h.Codec, codecClockRate(h.Codec)
	}
	st.last = r
	if r.SRTP != nil && r.SRTP.Auth != "ok" {
		st.authFailed++
		return
	}
	st.packets++
	st.bytes += r.Len
	st.src.Update(h.Seq)
	if h.Keyframe != nil && *h.Keyframe {
		st.keyframes++
	}
	if st.rate != 0 && !strings.HasPrefix(strings.ToLower(st.codec), "rtx/") {
		arrival := uint32(uint64(at.UnixNano()) * uint64(st.rate) / 1e9)
		st.jitter.Update(arrival, h.Timestamp)
	}
}

// forgetIdle drops the streams without a packet in the current window.
func (m *mediaStats) forgetIdle() {
	for id, st := range m.streams {
		if st.packets == 0 && st.authFailed == 0 {
			delete(m.streams, id)
		}
	}
}

func (m *mediaStats) rtcp(at time.Time, dir string, r *annotate.Record) {
	if m.start.IsZero() {
		m.start = at
	}
	if r.SRTP != nil && r.SRTP.Auth != "ok" || len(r.RTCP.Packets) == 0 {
		// Not decrypted (before keys, or failed): counted under its first type.
		st := m.rtcpOf(dir, r.RTCP.Type)
		st.count++
		st.record = r
		if r.SRTP != nil && r.SRTP.Auth != "ok" {
			st.failed++
		}
		return
	}
	for _, p := range r.RTCP.Packets {
		st := m.rtcpOf(dir, p.Type)
		st.count++
		st.last, st.record = p, r
	}
}

func (m *mediaStats) rtcpOf(dir, typ string) *inspectRTCP {
	id := rtcpID{dir, typ}
	st := m.rtcps[id]
	if st == nil {
		st = &inspectRTCP{}
		m.rtcps[id] = st
	}
	return st
}

// codecClockRate reads the clock rate of "opus/48000/2".
func codecClockRate(codec string) uint32 {
	_, rest, ok := strings.Cut(codec, "/")
	if !ok {
		return 0
	}
	rate, _, _ := strings.Cut(rest, "/")
	n, err := strconv.ParseUint(rate, 10, 32)
	if err != nil {
		return 0
	}
	return uint32(n)
}

// flush writes one line per stream and per RTCP type seen in the window.
func (m *mediaStats) flush(b *lineBuilder, now time.Time) {
	if m.start.IsZero() || now.Sub(m.start) < mediaWindow-windowSlack {
		return
	}
	secs := now.Sub(m.start).Seconds()
	ids := make([]streamID, 0, len(m.streams))
	for id, st := range m.streams {
		if st.packets > 0 || st.authFailed > 0 {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool {
		return ids[i].dir < ids[j].dir || ids[i].dir == ids[j].dir && ids[i].ssrc < ids[j].ssrc
	})
	for _, id := range ids {
		st := m.streams[id]
		b.emit(now, st.line(id, secs))
		st.packets, st.bytes, st.keyframes, st.authFailed = 0, 0, 0, 0
		st.lostBefore = st.src.Lost()
	}
	rids := make([]rtcpID, 0, len(m.rtcps))
	for id := range m.rtcps {
		rids = append(rids, id)
	}
	sort.Slice(rids, func(i, j int) bool {
		return rids[i].dir < rids[j].dir || rids[i].dir == rids[j].dir && rids[i].typ < rids[j].typ
	})
	for _, id := range rids {
		b.emit(now, m.rtcps[id].line(id, secs))
	}
	clear(m.rtcps)
	m.start = now
}

func (st *inspectStream) line(id streamID, secs float64) *inspectLine {
	codec := st.codec
	if codec == "" {
		codec = "codec not in the SDP"
	}
	lost := st.src.Lost() - st.lostBefore
	sum := fmt.Sprintf("RTP SSRC %d PT %d %s: %.0f packets/s, %.0f kbit/s, lost %d", id.ssrc, st.pt, codec,
		float64(st.packets)/secs, float64(st.bytes)*8/1000/secs, lost)
	d := []annotate.Line{
		detail(0, "ssrc", strconv.FormatUint(uint64(id.ssrc), 10), "RFC 3550 §5.1"),
		detail(0, "payload_type", strconv.Itoa(int(st.pt))+" "+st.codec, "RFC 8866 §6.6"),
		detail(0, "packets", fmt.Sprintf("%d in %.1f s", st.packets, secs), "RFC 3550 §5.1"),
		detail(0, "bitrate", fmt.Sprintf("%.1f kbit/s (SRTP datagrams)", float64(st.bytes)*8/1000/secs), "RFC 3711 §3.1"),
		detail(0, "lost", fmt.Sprintf("%d in this second, %d since the start (expected − received)", lost, st.src.Lost()), "RFC 3550 §A.3"),
	}
	if st.rate != 0 && !strings.HasPrefix(strings.ToLower(st.codec), "rtx/") {
		ms := float64(st.jitter.Value()) * 1000 / float64(st.rate)
		sum += fmt.Sprintf(", jitter %.1f ms", ms)
		d = append(d, detail(0, "jitter", fmt.Sprintf("%.1f ms (%d timestamp units at %d Hz)", ms, st.jitter.Value(), st.rate), "RFC 3550 §6.4.1"))
	}
	if kfRef := annotate.KeyframeRef(st.codec); kfRef != "" {
		sum += fmt.Sprintf(", keyframes %d", st.keyframes)
		d = append(d, detail(0, "keyframes", strconv.Itoa(st.keyframes), kfRef))
	}
	if st.authFailed > 0 {
		sum += fmt.Sprintf(", %d failed SRTP authentication", st.authFailed)
		d = append(d, detail(0, "srtp_auth_failed", strconv.Itoa(st.authFailed), "RFC 3711 §3.3"))
	}
	if st.last != nil {
		d = append(d, detail(0, "last packet", "", ""))
		for _, l := range st.last.Explain() {
			l.Depth++
			d = append(d, l)
		}
	}
	return &inspectLine{Layer: "rtp", Dir: id.dir, Count: st.packets + st.authFailed, Summary: sum, Ref: "RFC 3550 §5.1", Detail: d}
}

func (st *inspectRTCP) line(id rtcpID, secs float64) *inspectLine {
	ref := st.last.Ref
	if ref == "" {
		ref = "RFC 3550 §6"
	}
	sum := fmt.Sprintf("RTCP %s ×%d in %.1f s", id.typ, st.count, secs)
	var d []annotate.Line
	if st.last.Type != "" {
		var fs []string
		doc, _, _ := strings.Cut(ref, " §")
		for _, f := range st.last.Fields {
			fr := f.Ref
			if strings.HasPrefix(fr, "§") {
				fr = doc + " " + fr
			}
			d = append(d, detail(0, f.Name, f.Value, fr))
			if len(fs) < 6 {
				fs = append(fs, f.Name+" "+f.Value)
			}
		}
		if len(fs) > 0 {
			sum += "; last: " + strings.Join(fs, ", ")
		}
	}
	if st.failed > 0 {
		sum += fmt.Sprintf("; %d failed SRTCP authentication", st.failed)
		ref = "RFC 3711 §3.4"
	}
	sum = truncate(sum, 240)
	if st.record != nil {
		d = append(d, detail(0, "last compound", "", ""))
		for _, l := range st.record.Explain() {
			l.Depth++
			d = append(d, l)
		}
	}
	return &inspectLine{Layer: "rtcp", Dir: id.dir, Count: st.count, Summary: sum, Ref: ref, Detail: d}
}

func detail(depth int, name, value, ref string) annotate.Line {
	return annotate.Line{Depth: depth, Name: name, Value: value, Ref: ref, URL: annotate.RefURL(ref)}
}
