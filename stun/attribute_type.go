package stun

import "fmt"

// AttrType is a STUN attribute type (RFC 8489 §14, §18.3). Types
// 0x0000-0x7FFF are comprehension-required, 0x8000-0xFFFF
// comprehension-optional.
type AttrType uint16

// Attributes of RFC 8489 §14, RFC 8445 §16.1, and the one Chromium sends.
const (
	AttrMappedAddress          AttrType = 0x0001 // RFC 8489 §14.1
	AttrUsername               AttrType = 0x0006 // RFC 8489 §14.3
	AttrMessageIntegrity       AttrType = 0x0008 // RFC 8489 §14.5
	AttrErrorCode              AttrType = 0x0009 // RFC 8489 §14.8
	AttrUnknownAttributes      AttrType = 0x000A // RFC 8489 §14.13
	AttrRealm                  AttrType = 0x0014 // RFC 8489 §14.9
	AttrNonce                  AttrType = 0x0015 // RFC 8489 §14.10
	AttrMessageIntegritySHA256 AttrType = 0x001C // RFC 8489 §14.6
	AttrPasswordAlgorithm      AttrType = 0x001D // RFC 8489 §14.12
	AttrUserhash               AttrType = 0x001E // RFC 8489 §14.4
	AttrXORMappedAddress       AttrType = 0x0020 // RFC 8489 §14.2
	AttrPriority               AttrType = 0x0024 // RFC 8445 §16.1
	AttrUseCandidate           AttrType = 0x0025 // RFC 8445 §16.1
	AttrPasswordAlgorithms     AttrType = 0x8002 // RFC 8489 §14.11
	AttrAlternateDomain        AttrType = 0x8003 // RFC 8489 §14.16
	AttrSoftware               AttrType = 0x8022 // RFC 8489 §14.14
	AttrAlternateServer        AttrType = 0x8023 // RFC 8489 §14.15
	AttrFingerprint            AttrType = 0x8028 // RFC 8489 §14.7
	AttrICEControlled          AttrType = 0x8029 // RFC 8445 §16.1
	AttrICEControlling         AttrType = 0x802A // RFC 8445 §16.1
	AttrGoogNetworkInfo        AttrType = 0xC057 // IANA registry (Google); kept raw
)

// ComprehensionRequired reports whether an agent that does not understand
// the attribute must reject the message (type < 0x8000), RFC 8489 §14.
func (t AttrType) ComprehensionRequired() bool { return t < 0x8000 }

// AttrInfo describes one registered attribute type.
type AttrInfo struct {
	Type AttrType
	Name string // IANA name, e.g. "USERNAME"
	Ref  string // where it is defined, e.g. "RFC 8489 §14.3"
	// Decoded reports whether this package has typed accessors for the
	// attribute. Others (GOOG-NETWORK-INFO) are known by name only and
	// kept as raw bytes.
	Decoded bool
}

// Registry lists every attribute type this package names, in type order.
// rtcdump and the 420 logic use it.
var Registry = []AttrInfo{
	{AttrMappedAddress, "MAPPED-ADDRESS", "RFC 8489 §14.1", true},
	{AttrUsername, "USERNAME", "RFC 8489 §14.3", true},
	{AttrMessageIntegrity, "MESSAGE-INTEGRITY", "RFC 8489 §14.5", true},
	{AttrErrorCode, "ERROR-CODE", "RFC 8489 §14.8", true},
	{AttrUnknownAttributes, "UNKNOWN-ATTRIBUTES", "RFC 8489 §14.13", true},
	{AttrRealm, "REALM", "RFC 8489 §14.9", true},
	{AttrNonce, "NONCE", "RFC 8489 §14.10", true},
	{AttrMessageIntegritySHA256, "MESSAGE-INTEGRITY-SHA256", "RFC 8489 §14.6", true},
	{AttrPasswordAlgorithm, "PASSWORD-ALGORITHM", "RFC 8489 §14.12", true},
	{AttrUserhash, "USERHASH", "RFC 8489 §14.4", true},
	{AttrXORMappedAddress, "XOR-MAPPED-ADDRESS", "RFC 8489 §14.2", true},
	{AttrPriority, "PRIORITY", "RFC 8445 §16.1", true},
	{AttrUseCandidate, "USE-CANDIDATE", "RFC 8445 §16.1", true},
	{AttrPasswordAlgorithms, "PASSWORD-ALGORITHMS", "RFC 8489 §14.11", true},
	{AttrAlternateDomain, "ALTERNATE-DOMAIN", "RFC 8489 §14.16", true},
	{AttrSoftware, "SOFTWARE", "RFC 8489 §14.14", true},
	{AttrAlternateServer, "ALTERNATE-SERVER", "RFC 8489 §14.15", true},
	{AttrFingerprint, "FINGERPRINT", "RFC 8489 §14.7", true},
	{AttrICEControlled, "ICE-CONTROLLED", "RFC 8445 §16.1", true},
	{AttrICEControlling, "ICE-CONTROLLING", "RFC 8445 §16.1", true},
	{AttrGoogNetworkInfo, "GOOG-NETWORK-INFO", "IANA STUN registry (Google, not in an RFC)", false},
}

// Lookup returns the registry entry for t.
func (t AttrType) Lookup() (AttrInfo, bool) {
	lo, hi := 0, len(Registry)
	for lo < hi {
		mid := (lo + hi) / 2
		switch {
		case Registry[mid].Type == t:
			return Registry[mid], true
		case Registry[mid].Type < t:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return AttrInfo{}, false
}

// Understood reports whether this package decodes t (the default notion
// of "known" for UNKNOWN-ATTRIBUTES, RFC 8489 §6.3.1).
func (t AttrType) Understood() bool {
	info, ok := t.Lookup()
	return ok && info.Decoded
}

// String returns the IANA name, or the type in hex when unregistered.
func (t AttrType) String() string {
	if info, ok := t.Lookup(); ok {
		return info.Name
	}
	return fmt.Sprintf("0x%04X", uint16(t))
}

// Describe returns the name and where it is defined, e.g.
// "USERNAME (RFC 8489 §14.3)", or "0xC0FF (unknown, comprehension-optional)".
func (t AttrType) Describe() string {
	if info, ok := t.Lookup(); ok {
		return info.Name + " (" + info.Ref + ")"
	}
	if t.ComprehensionRequired() {
		return fmt.Sprintf("0x%04X", uint16(t)) + " (unknown, comprehension-required)"
	}
	return fmt.Sprintf("0x%04X", uint16(t)) + " (unknown, comprehension-optional)"
}
