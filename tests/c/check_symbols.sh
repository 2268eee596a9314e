#!/usr/bin/env bash
# check_symbols.sh LIB HEADER: the dynamic symbols LIB defines must be exactly
# the functions HEADER declares. Prints the difference.
# NM names the nm to use (a cross nm for a foreign library; default nm).
# check_symbols.sh --list HEADER: prints the header's function names, one a
# line, for bindings that compare their own symbol lists with the header.
set -euo pipefail

# header_functions HEADER: every declaration is written "... mars_name(" at
# the start of a line after the return type; function-pointer members are
# indented "(*name)" and comments start with " *", so neither matches.
header_functions() {
  grep -oE '^[A-Za-z_][A-Za-z0-9_ \*]*[ \*](mars_[a-z0-9_]+)\(' "$1" |
    grep -oE 'mars_[a-z0-9_]+\($' | tr -d '(' | sort -u
}

if [ "${1:-}" = "--list" ]; then
  header_functions "$2"
  exit 0
fi
lib=$1 header=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"${NM:-nm}" -D --defined-only "$lib" | awk '{print $3}' | sed 's/@.*//' | grep -v '^$' | sort -u >"$tmp/lib"
header_functions "$header" >"$tmp/hdr"
if ! diff -u "$tmp/hdr" "$tmp/lib" >"$tmp/diff"; then
  echo "check_symbols: $lib exports differ from $header (- header only, + library only):" >&2
  grep -E '^[-+][a-z_]' "$tmp/diff" >&2
  exit 1
fi
echo "check_symbols: $(wc -l <"$tmp/lib") symbols, all declared in $(basename "$header")"
