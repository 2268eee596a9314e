package main

import "errors"

func stnMain(args []string) error { return errors.New("stn: not yet") }
