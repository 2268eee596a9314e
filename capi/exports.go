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
