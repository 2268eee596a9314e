package main

/*
#include "mars.h"
*/
import "C"

//export marsgo_version_number
func marsgo_version_number() (rc C.int) {
	defer fence("mars_version_number", &rc)
	enter("mars_version_number")
	return versionNumber
}

//export marsgo_process_errmsg
func marsgo_process_errmsg(buf *C.char, n C.size_t) (rc C.int) {
	defer fence("mars_stn_errmsg", &rc)
	return copyErrmsg(processDetail(), buf, n)
}
