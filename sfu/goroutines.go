package sfu

// goLocked runs f in a goroutine counted in s.wg, unless the server is
// closing or x has ended; it reports whether f was started. Called with
// x's room lock held (x.ended is guarded by it); it takes Server.mu, a leaf
// lock, itself. Close sets s.closed under s.mu before it waits on s.wg, so
// every wg.Add made here happens before that Wait (sync.WaitGroup: "Add
// calls with a positive delta that occur when the counter is zero must
// happen before a Wait"), and no goroutine starts after Close returned.
func (s *Server) goLocked(x *session, f func()) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || (x != nil && x.ended) {
		return false
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		f()
	}()
	return true
}

// goSession is goLocked for a caller that does not hold x's room lock.
func (s *Server) goSession(x *session, f func()) bool {
	x.rh.mu.Lock()
	defer x.rh.mu.Unlock()
	return s.goLocked(x, f)
}
