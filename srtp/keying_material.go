package srtp

// SplitKeyingMaterial splits the DTLS exporter output (label
// "EXTRACTOR-dtls_srtp", RFC 5764 §4.2) into the client's and the server's
// master keys and salts. Its layout is
//
//	client_write_SRTP_master_key | server_write_SRTP_master_key |
//	client_write_SRTP_master_salt | server_write_SRTP_master_salt
//
// and it must be exactly 2*(KeyLen+SaltLen) bytes long.
func SplitKeyingMaterial(p Profile, km []byte) (clientKey, clientSalt, serverKey, serverSalt []byte, err error) {
	if !p.valid() {
		return nil, nil, nil, nil, ErrProfile
	}
	k, s := p.KeyLen(), p.SaltLen()
	if len(km) != 2*(k+s) {
		return nil, nil, nil, nil, ErrKeyLen
	}
	return km[:k], km[2*k : 2*k+s], km[k : 2*k], km[2*k+s:], nil
}

// FromKeyingMaterial makes the two contexts of one DTLS-SRTP association
// from the exporter output (RFC 5764 §4.2): local protects what this side
// sends (its own write keys), remote unprotects what the peer sends. isClient
// says whether this side is the DTLS client.
func FromKeyingMaterial(p Profile, km []byte, isClient bool, opts ...Option) (local, remote *Context, err error) {
	ck, cs, sk, ss, err := SplitKeyingMaterial(p, km)
	if err != nil {
		return nil, nil, err
	}
	if !isClient {
		ck, cs, sk, ss = sk, ss, ck, cs
	}
	if local, err = NewContext(p, ck, cs, opts...); err != nil {
		return nil, nil, err
	}
	if remote, err = NewContext(p, sk, ss, opts...); err != nil {
		return nil, nil, err
	}
	return local, remote, nil
}
