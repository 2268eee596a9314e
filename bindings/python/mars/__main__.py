"""python -m mars: small command-line helpers over the binding.

python -m mars version
python -m mars decode FILE.xlog [-k PRIVATE_KEY] [-o OUT.txt]

decode exits 1 when the file was damaged or encrypted blocks stayed closed
(after writing the text that could be read), or could not be read.
"""

from __future__ import annotations

import argparse
import sys

from . import MarsError, PartialResult, decode, decode_file, version, version_number


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mars", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("version", help="print the loaded libmars version")
    dec = sub.add_parser("decode", help="decode an xlog file to text")
    dec.add_argument("file")
    dec.add_argument("-k", "--key", help="private key (64 hex chars, or an HPKE private key)")
    dec.add_argument("-o", "--out", help="write the text here instead of stdout")
    args = parser.parse_args(argv)
    try:
        if args.command == "version":
            print(f"{version()} ({version_number()})")
        elif args.out:
            decode_file(args.file, args.out, args.key)
        else:
            sys.stdout.write(decode(args.file, args.key))
    except PartialResult as e:  # damaged input: the text that could be read, then exit 1
        if e.text:
            sys.stdout.write(e.text)
        print(f"mars: {e}", file=sys.stderr)
        return 1
    except MarsError as e:
        print(f"mars: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
