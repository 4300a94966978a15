package sdp

import "strings"

// Line is one SDP line, `<type>=<value>` (RFC 8866 §5). Value excludes the
// type, the '=' and the line terminator. It shares the parsed input.
type Line struct {
	Type  byte
	Value string
}

// Attribute splits an a= line's value into name and value at the first ':'
// (RFC 8866 §5.13: a=<attribute-name> or a=<attribute-name>:<attribute-value>).
// hasValue reports whether a ':' was present. For non-attribute lines name is
// empty.
func (l Line) Attribute() (name, value string, hasValue bool) {
	if l.Type != 'a' {
		return "", "", false
	}
	name, value, hasValue = strings.Cut(l.Value, ":")
	return name, value, hasValue
}

// IsAttribute reports whether l is an a= line with the given name.
func (l Line) IsAttribute(name string) bool {
	if l.Type != 'a' || len(l.Value) < len(name) || l.Value[:len(name)] != name {
		return false
	}
	return len(l.Value) == len(name) || l.Value[len(name)] == ':'
}

// attrValue returns the value of an a=name:value line.
func (l Line) attrValue(name string) (string, bool) {
	if l.Type != 'a' || len(l.Value) <= len(name) || l.Value[len(name)] != ':' || l.Value[:len(name)] != name {
		return "", false
	}
	return l.Value[len(name)+1:], true
}

// String returns the line as it is written, without the terminator.
func (l Line) String() string { return string(l.Type) + "=" + l.Value }
