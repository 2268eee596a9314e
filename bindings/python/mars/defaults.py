"""Every number this binding chooses, in one place. The library's own
defaults (timeouts, buffer sizes) live in libmars and are documented in
include/mars.h; a 0/None field in StnConfig/XlogConfig takes them."""

from __future__ import annotations

#: MARS_VERSION_MAJOR of the mars.h this binding is written against; a library
#: with another major is refused (mars.h "Version").
EXPECTED_MAJOR = 0

#: The library version (X*1000000 + Y*1000 + Z) that added mars_has_feature;
#: FEATURE_QUERY is the name this binding uses for that function itself.
FEATURE_QUERY_SINCE = 2000
FEATURE_QUERY = "feature_query"

#: File names tried in the package folder and by the system loader, after
#: MARS_LIBRARY. libmars.so.<major> is the soname.
LIBRARY_NAMES = (f"libmars.so.{EXPECTED_MAJOR}", "libmars.so", "libmars.dylib", "mars.dll")

#: Spare bytes behind every struct a plain mars_*_init function fills, for
#: libraries without the mars_*_init_sized variants: those write their own,
#: possibly larger, sizeof there, which must not overrun.
INIT_SLACK = 1024

#: First and largest buffer for mars_*_errmsg; it grows (x4) on MARS_ERANGE.
ERRMSG_FIRST_SIZE = 256
ERRMSG_MAX_SIZE = 64 * 1024

#: Pushes kept in Stn.pushes before new ones are dropped and counted.
DEFAULT_MAX_PUSHES = 10_000

#: Ended tasks whose Future stays retrievable through Stn.future/wait_task.
DEFAULT_MAX_FINISHED = 10_000
