//go:build !linux

package sdt

// defaultRoutes has no portable source outside Linux; availability then
// rests on the interface addresses alone.
func defaultRoutes() ([]Route, bool, error) { return nil, false, nil }
