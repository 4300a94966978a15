package annotate

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/netip"
	"strconv"

	"github.com/plainrtc/plainrtc/stun"
)

// STUN is a STUN message (RFC 8489 §5) and its attributes.
type STUN struct {
	Type          string     `json:"type"` // "Binding request"
	Method        string     `json:"method"`
	Class         string     `json:"class"`
	TransactionID string     `json:"transaction_id"`
	Length        int        `json:"length"`
	Attrs         []STUNAttr `json:"attrs"`
	// Integrity: "ok", "fail", "absent" (no MESSAGE-INTEGRITY(-SHA256)) or
	// "unknown" (no password: no -sdp, or ufrag not in the SDPs).
	Integrity string `json:"integrity"`
	// Fingerprint: "ok", "fail" or "absent".
	Fingerprint string `json:"fingerprint"`
}

// STUNAttr is one attribute (RFC 8489 §14) with its registry name and the
// section that defines it.
type STUNAttr struct {
	Type   string `json:"type"` // "0x0006"
	Name   string `json:"name"` // "USERNAME"
	Ref    string `json:"ref"`  // "RFC 8489 §14.3"
	Length int    `json:"length"`
	Value  string `json:"value"` // decoded for known types, hex otherwise
}

// stunState remembers, per transaction ID, the password that signed a
// request so that its response can be checked (RFC 8445 §7.2.2: the
// response is signed with the same password as the request).
//
// A live session sends requests for as long as it lasts, so only the last
// maxPendingTx transactions are remembered (oldest forgotten first); a
// response arrives within seconds of its request (RFC 8489 §6.2.1), many
// fewer transactions than that later.
type stunState struct {
	sdp     *SDPInfo
	pwdByTx map[stun.TransactionID]string
	order   []stun.TransactionID // ring of remembered transactions, oldest at next
	next    int
	msg     stun.Message
}

const maxPendingTx = 4096

func newSTUNState(info *SDPInfo) stunState {
	return stunState{sdp: info, pwdByTx: map[stun.TransactionID]string{}}
}

// remember keeps the password of a request's transaction.
func (st *stunState) remember(tx stun.TransactionID, pwd string) {
	if _, ok := st.pwdByTx[tx]; !ok {
		if len(st.order) < maxPendingTx {
			st.order = append(st.order, tx)
		} else {
			delete(st.pwdByTx, st.order[st.next])
			st.order[st.next] = tx
			st.next = (st.next + 1) % maxPendingTx
		}
	}
	st.pwdByTx[tx] = pwd
}

func (st *stunState) decode(p []byte) (*STUN, error) {
	m := &st.msg
	if err := m.Unmarshal(p); err != nil {
		return nil, err
	}
	r := &STUN{
		Type:          m.Type.String(),
		Method:        m.Type.Method.String(),
		Class:         m.Type.Class.String(),
		TransactionID: hex.EncodeToString(m.TransactionID[:]),
		Length:        int(m.Length),
		Attrs:         make([]STUNAttr, 0, len(m.Attributes)),
	}
	for _, a := range m.Attributes {
		info, ok := a.Type.Lookup()
		name, ref := info.Name, info.Ref
		if !ok {
			name, ref = a.Type.String(), "unknown"
			if a.Type.ComprehensionRequired() {
				ref = "unknown, comprehension-required (RFC 8489 §14)"
			} else {
				ref = "unknown, comprehension-optional (RFC 8489 §14)"
			}
		}
		r.Attrs = append(r.Attrs, STUNAttr{
			Type: fmt.Sprintf("0x%04x", uint16(a.Type)), Name: name, Ref: ref,
			Length: len(a.Value), Value: stunValue(a, m.TransactionID),
		})
	}
	r.Integrity = st.integrity(m)
	r.Fingerprint = "absent"
	if m.Contains(stun.AttrFingerprint) {
		r.Fingerprint = verdict(stun.CheckFingerprint(m))
	}
	return r, nil
}

// integrity checks MESSAGE-INTEGRITY(-SHA256) with short-term credentials
// (RFC 8489 §9.1): a request with the password of the ufrag before the
// colon of USERNAME (the receiver's, RFC 8445 §7.2.2), a response with the
// password its request used.
func (st *stunState) integrity(m *stun.Message) string {
	if !m.Contains(stun.AttrMessageIntegrity) && !m.Contains(stun.AttrMessageIntegritySHA256) {
		return "absent"
	}
	if st.sdp == nil {
		return "unknown"
	}
	var pwd string
	var ok bool
	if m.Type.Class == stun.ClassRequest || m.Type.Class == stun.ClassIndication {
		if u, err := m.Username(); err == nil {
			recv, _, _ := bytes.Cut(u, []byte(":"))
			pwd, ok = st.sdp.pwdByUfrag[string(recv)]
		}
		if ok && m.Type.Class == stun.ClassRequest {
			st.remember(m.TransactionID, pwd)
		}
	} else {
		pwd, ok = st.pwdByTx[m.TransactionID]
	}
	if !ok {
		return "unknown"
	}
	return verdict(stun.NewShortTermIntegrity(pwd).Check(m))
}

func verdict(err error) string {
	if err != nil {
		return "fail"
	}
	return "ok"
}

// stunValue decodes an attribute value for display.
func stunValue(a stun.RawAttribute, tid stun.TransactionID) string {
	v := a.Value
	switch a.Type {
	case stun.AttrUsername, stun.AttrSoftware, stun.AttrRealm, stun.AttrNonce, stun.AttrAlternateDomain:
		return strconv.Quote(string(v))
	case stun.AttrPriority:
		if len(v) == 4 {
			return strconv.FormatUint(uint64(binary.BigEndian.Uint32(v)), 10)
		}
	case stun.AttrICEControlled, stun.AttrICEControlling:
		if len(v) == 8 {
			return fmt.Sprintf("tie-breaker 0x%016x", binary.BigEndian.Uint64(v))
		}
	case stun.AttrUseCandidate:
		if len(v) == 0 {
			return "(flag)"
		}
	case stun.AttrErrorCode:
		if len(v) >= 4 {
			return fmt.Sprintf("%d %s", int(v[2]&7)*100+int(v[3]), strconv.Quote(string(v[4:])))
		}
	case stun.AttrXORMappedAddress, stun.AttrMappedAddress, stun.AttrAlternateServer:
		if ap, ok := stunAddress(v, a.Type == stun.AttrXORMappedAddress, tid); ok {
			return ap.String()
		}
	case stun.AttrGoogNetworkInfo:
		if len(v) == 4 {
			return fmt.Sprintf("network-id %d cost %d", binary.BigEndian.Uint16(v), binary.BigEndian.Uint16(v[2:]))
		}
	}
	return hex.EncodeToString(v)
}

// stunAddress decodes (XOR-)MAPPED-ADDRESS (RFC 8489 §14.1, §14.2).
func stunAddress(v []byte, xor bool, tid stun.TransactionID) (netip.AddrPort, bool) {
	if len(v) < 4 {
		return netip.AddrPort{}, false
	}
	port := binary.BigEndian.Uint16(v[2:])
	var key [16]byte
	binary.BigEndian.PutUint32(key[:], stun.MagicCookie)
	copy(key[4:], tid[:])
	raw := append([]byte(nil), v[4:]...)
	if xor {
		port ^= uint16(stun.MagicCookie >> 16)
		for i := range raw {
			if i < len(key) {
				raw[i] ^= key[i]
			}
		}
	}
	switch {
	case v[1] == 1 && len(raw) == 4, v[1] == 2 && len(raw) == 16:
		addr, _ := netip.AddrFromSlice(raw)
		return netip.AddrPortFrom(addr, port), true
	}
	return netip.AddrPort{}, false
}
