//go:build !amd64 || purego

package srtp

const haveAESNI = false

func (c *counterMode) encryptBlocks(buf []byte) { c.encryptBlocksGeneric(buf) }
