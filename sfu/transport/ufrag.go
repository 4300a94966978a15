package transport

// UfragFunc returns the local ICE ufrag a STUN message is addressed to, or
// false if it names none. The result may reference msg. The default is
// ice.LocalUfrag (the part of USERNAME before the colon, RFC 8445 §7.2.2).
type UfragFunc func(msg []byte) (localUfrag []byte, ok bool)
