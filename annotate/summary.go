package annotate

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/plainrtc/plainrtc/rtp"
)

// Summary is written after the last frame: counts per class, STUN verdicts,
// SRTP verdicts, RTCP packet types and one line per RTP stream.
type Summary struct {
	Frames          int            `json:"frames"`    // frames in the capture
	Skipped         int            `json:"skipped"`   // frames that were not UDP
	Datagrams       int            `json:"datagrams"` // UDP datagrams
	Classes         map[string]int `json:"classes"`   // RFC 7983 class → datagrams
	STUNTypes       map[string]int `json:"stun_types"`
	STUNIntegrity   map[string]int `json:"stun_integrity"`       // verdict → messages
	STUNFingerprint map[string]int `json:"stun_fingerprint"`     // verdict → messages
	SRTPAuth        map[string]int `json:"srtp_auth,omitempty"`  // SRTP verdict → packets (-keylog)
	SRTCPAuth       map[string]int `json:"srtcp_auth,omitempty"` // SRTCP verdict → packets (-keylog)
	RTCPTypes       map[string]int `json:"rtcp_types,omitempty"` // decrypted RTCP packet type → packets
	Streams         []Stream       `json:"streams"`

	byKey map[streamKey]*streamState
}

// Stream is one RTP stream (SSRC and payload type). Packets counts those
// that authenticated when decrypting, else all.
type Stream struct {
	SSRC     uint32  `json:"ssrc"`
	PT       uint8   `json:"pt"`
	Codec    string  `json:"codec,omitempty"`
	Dir      string  `json:"dir,omitempty"`
	Packets  int     `json:"packets"`
	Lost     int32   `json:"lost"`                // RFC 3550 §A.3 expected − received
	Jitter   uint32  `json:"jitter"`              // RFC 3550 §A.8, timestamp units
	JitterMS float64 `json:"jitter_ms,omitempty"` // the same in milliseconds (needs the clock rate from the SDP)
}

type streamKey struct {
	ssrc uint32
	pt   uint8
}

type streamState struct {
	Stream
	src    rtp.Source
	jitter rtp.Jitter
	rate   uint32
}

func (s *Summary) init() {
	if s.Classes == nil {
		s.Classes, s.STUNTypes = map[string]int{}, map[string]int{}
		s.STUNIntegrity, s.STUNFingerprint = map[string]int{}, map[string]int{}
		s.byKey = map[streamKey]*streamState{}
	}
}

func (s *Summary) stun(r *STUN) {
	s.init()
	s.STUNTypes[r.Type]++
	s.STUNIntegrity[r.Integrity]++
	s.STUNFingerprint[r.Fingerprint]++
}

// Add counts a record from Annotate. Frames and Skipped are the
// caller's: a capture walk fills them from the capture.
func (s *Summary) Add(r *Record) {
	s.init()
	if r.STUN != nil {
		s.stun(r.STUN)
	}
	s.Datagrams++
	s.Classes[r.Class]++
	if r.SRTP != nil {
		m := &s.SRTPAuth
		if r.RTCP != nil {
			m = &s.SRTCPAuth
		}
		if *m == nil {
			*m = map[string]int{}
		}
		(*m)[r.SRTP.Auth]++
		if r.SRTP.Replay {
			(*m)["replayed"]++
		}
	}
	ok := r.SRTP == nil || r.SRTP.Auth == "ok"
	if r.RTCP != nil && ok {
		for _, p := range r.RTCP.Packets {
			if s.RTCPTypes == nil {
				s.RTCPTypes = map[string]int{}
			}
			s.RTCPTypes[p.Type]++
		}
	}
	if r.RTP != nil && ok {
		k := streamKey{r.RTP.SSRC, r.RTP.PT}
		st := s.byKey[k]
		if st == nil {
			st = &streamState{Stream: Stream{SSRC: k.ssrc, PT: k.pt, Codec: r.RTP.Codec, Dir: r.Dir}}
			st.rate = clockRate(r.RTP.Codec)
			s.byKey[k] = st
		}
		st.Packets++
		st.src.Update(r.RTP.Seq)
		if st.rate != 0 && r.Time != "" && !strings.HasPrefix(strings.ToLower(st.Codec), "rtx/") {
			if t, err := time.Parse(time.RFC3339Nano, r.Time); err == nil {
				arrival := uint32(uint64(t.UnixNano()) * uint64(st.rate) / 1e9)
				st.jitter.Update(arrival, r.RTP.Timestamp)
			}
		}
	}
}

// clockRate reads the clock rate of "opus/48000/2".
func clockRate(codec string) uint32 {
	parts := strings.Split(codec, "/")
	if len(parts) < 2 {
		return 0
	}
	r, err := strconv.ParseUint(parts[1], 10, 32)
	if err != nil {
		return 0
	}
	return uint32(r)
}

// Finish fills Streams from the per-stream state, sorted by SSRC and PT.
func (s *Summary) Finish() {
	s.init()
	s.Streams = s.Streams[:0]
	for _, st := range s.byKey {
		st.Lost = st.src.Lost()
		st.Jitter = st.jitter.Value()
		if st.rate != 0 {
			st.JitterMS = float64(st.Jitter) * 1000 / float64(st.rate)
		}
		s.Streams = append(s.Streams, st.Stream)
	}
	sort.Slice(s.Streams, func(i, j int) bool {
		a, b := s.Streams[i], s.Streams[j]
		return a.SSRC < b.SSRC || (a.SSRC == b.SSRC && a.PT < b.PT)
	})
}
