package main

// record is the JSON object written for one frame (see doc.go for every
// field). Per-class objects are present only for their class.
type record struct {
	N      int         `json:"n"`
	Time   string      `json:"time,omitempty"`
	Src    string      `json:"src,omitempty"`
	Dst    string      `json:"dst,omitempty"`
	Dir    string      `json:"dir,omitempty"`
	Len    int         `json:"len"`
	Class  string      `json:"class"`
	Reason string      `json:"reason,omitempty"` // class "skipped": why the frame is not a UDP datagram
	STUN   *stunRecord `json:"stun,omitempty"`
	DTLS   *dtlsRecord `json:"dtls,omitempty"`
	SRTP   *srtpRecord `json:"srtp,omitempty"`
	RTP    *rtpRecord  `json:"rtp,omitempty"`
	RTCP   *rtcpRecord `json:"rtcp,omitempty"`
	Error  string      `json:"error,omitempty"` // what could not be decoded
}

// field is one decoded field with the RFC section that defines it.
type field struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	Ref   string `json:"ref,omitempty"`
}
