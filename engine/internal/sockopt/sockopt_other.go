//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package sockopt

func setMSS(uintptr, int) error { return nil }
