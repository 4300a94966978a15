package sfu

import "sync/atomic"

// sentRecord is one RTP packet a sender worker sent: the "packet sent"
// input of the room (what bandwidth estimation and sender reports need).
type sentRecord struct {
	at      int64 // Unix nanoseconds, the worker's clock
	ssrc    uint32
	payload uint16 // payload octets (RFC 3550 §6.4.1 counts these)
	seq     uint16
}

// sentLogLen is how many records may wait between two room ticks (50 ms):
// enough for 20,000 packets a second to one participant.
const sentLogLen = 1024

// sentLog carries sentRecords from a sender worker (the one producer) to
// the room (the one consumer, on its tick). When the room falls behind,
// records are dropped and counted, never blocking the worker.
type sentLog struct {
	head    atomic.Uint32
	tail    atomic.Uint32
	lost    atomic.Uint64
	records [sentLogLen]sentRecord
}

func (l *sentLog) add(r sentRecord) {
	t := l.tail.Load()
	if t-l.head.Load() == sentLogLen {
		l.lost.Add(1)
		return
	}
	l.records[t%sentLogLen] = r
	l.tail.Store(t + 1)
}

// drain calls f for every record waiting, oldest first.
func (l *sentLog) drain(f func(*sentRecord)) {
	h, t := l.head.Load(), l.tail.Load()
	for ; h != t; h++ {
		f(&l.records[h%sentLogLen])
	}
	l.head.Store(h)
}
