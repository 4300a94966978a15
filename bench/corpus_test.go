package bench

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/plainrtc/plainrtc/conformance"
	"github.com/plainrtc/plainrtc/srtp"
	"github.com/plainrtc/plainrtc/stun"
)

// stunInput is one STUN message of the corpus with the ice-pwd that signs
// it (RFC 8445 §7.2.2: the receiver's password for a request, the sender's
// for a response).
type stunInput struct {
	session string
	frame   int
	raw     []byte
	pwd     string
}

// rtpInput is one RTP packet of the corpus, decrypted with plainrtc's srtp.
type rtpInput struct {
	session string
	frame   int
	clear   []byte
}

// corpusData is everything the benchmarks read, extracted once per binary.
type corpusData struct {
	sessions []*conformance.Session
	stun     []stunInput
	offers   []namedBytes
	answers  []namedBytes
	rtp      []rtpInput
	rtcp     []rtpInput // decrypted compound RTCP packets
}

type namedBytes struct {
	name string
	data []byte
}

var (
	corpusOnce sync.Once
	corpusVal  *corpusData
	corpusErr  error
)

// loadCorpus loads every folder of conformance/testdata/corpus and
// extracts the inputs; any failure fails tb.
func loadCorpus(tb testing.TB) *corpusData {
	tb.Helper()
	corpusOnce.Do(func() { corpusVal, corpusErr = readCorpus() })
	if corpusErr != nil {
		tb.Fatal(corpusErr)
	}
	return corpusVal
}

func readCorpus() (*corpusData, error) {
	dirs, err := os.ReadDir(conformance.CorpusDir())
	if err != nil {
		return nil, err
	}
	c := &corpusData{}
	for _, e := range dirs {
		if !e.IsDir() {
			continue
		}
		s, err := conformance.Load(filepath.Join(conformance.CorpusDir(), e.Name()))
		if err != nil {
			return nil, fmt.Errorf("corpus %s: %w", e.Name(), err)
		}
		c.sessions = append(c.sessions, s)
		c.offers = append(c.offers, namedBytes{s.Name, s.Offer})
		c.answers = append(c.answers, namedBytes{s.Name, s.Answer})
		if err := c.addPackets(s); err != nil {
			return nil, fmt.Errorf("corpus %s: %w", s.Name, err)
		}
	}
	if len(c.sessions) == 0 {
		return nil, errors.New("corpus: no sessions")
	}
	sort.Slice(c.offers, func(i, j int) bool { return c.offers[i].name < c.offers[j].name })
	return c, nil
}

// addPackets demultiplexes s's datagrams by first byte (RFC 7983 §7) and
// keeps STUN messages as captured and SRTP/SRTCP decrypted. The answerer
// (pion) reuses RTP sequence numbers, which a replay window refuses; those
// packets are decrypted with a fresh context at the stream's rollover
// counter, as srtp's own corpus test does.
func (c *corpusData) addPackets(s *conformance.Session) error {
	profile := srtp.Profile(s.SRTPProfile)
	ctxs := map[string]*srtp.Context{}
	var m stun.Message
	for _, d := range s.Datagrams {
		b := d.Payload
		if len(b) < 2 {
			continue
		}
		switch {
		case b[0] <= 3:
			if err := m.Unmarshal(b); err != nil {
				return fmt.Errorf("frame %d: STUN: %w", d.N, err)
			}
			pwd := ""
			if m.Contains(stun.AttrMessageIntegrity) {
				pwd = s.STUNPassword(d, m.Type.Class == stun.ClassRequest)
			}
			c.stun = append(c.stun, stunInput{s.Name, d.N, bytes.Clone(b), pwd})
		case b[0] >= 128 && b[0] <= 191:
			key, salt := s.SRTPKeys(d)
			ctx := ctxs[string(key)]
			if ctx == nil {
				var err error
				if ctx, err = srtp.NewContext(profile, key, salt); err != nil {
					return err
				}
				ctxs[string(key)] = ctx
			}
			pkt := bytes.Clone(b)
			if pt := b[1] & 0x7f; pt >= 64 && pt <= 95 { // RFC 5761 §4
				clear, err := ctx.DecryptRTCP(pkt)
				if err != nil {
					return fmt.Errorf("frame %d: SRTCP: %w", d.N, err)
				}
				c.rtcp = append(c.rtcp, rtpInput{s.Name, d.N, clear})
				continue
			}
			clear, err := ctx.DecryptRTP(pkt)
			if errors.Is(err, srtp.ErrReplayed) {
				ssrc := binary.BigEndian.Uint32(b[8:12])
				roc, _ := ctx.ROC(ssrc)
				fresh, _ := srtp.NewContext(profile, key, salt)
				fresh.SetROC(ssrc, roc)
				copy(pkt, b)
				clear, err = fresh.DecryptRTP(pkt)
			}
			if err != nil {
				return fmt.Errorf("frame %d: SRTP: %w", d.N, err)
			}
			c.rtp = append(c.rtp, rtpInput{s.Name, d.N, clear})
		}
	}
	return nil
}

func TestCorpusLoads(t *testing.T) {
	c := loadCorpus(t)
	var stunN, rtpN, rtcpN int
	for _, s := range c.sessions {
		stunN += s.Truth.Counts.STUN
		rtpN += s.Truth.Counts.SRTPOK
		rtcpN += s.Truth.Counts.SRTCPOK
	}
	if len(c.stun) != stunN || len(c.rtp) != rtpN || len(c.rtcp) != rtcpN {
		t.Fatalf("extracted %d STUN, %d RTP, %d RTCP; truth.json says %d, %d, %d",
			len(c.stun), len(c.rtp), len(c.rtcp), stunN, rtpN, rtcpN)
	}
	t.Logf("%d sessions: %d STUN messages, %d RTP packets, %d RTCP compounds",
		len(c.sessions), len(c.stun), len(c.rtp), len(c.rtcp))
}
