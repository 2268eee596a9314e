"""The binding against mars.h: the same functions, the same
numbers, and the same struct layouts (compiled from the real header)."""

from __future__ import annotations

import ctypes
import re
import shutil
import subprocess
from enum import IntEnum
from pathlib import Path

import pytest

import mars
from mars import _lib
from mars import _structs as S

# The declaration pattern of tests/c/check_symbols.sh: "... mars_name(" at
# the start of a line after the return type.
_DECL = re.compile(r"^[A-Za-z_][A-Za-z0-9_ *]*[ *](mars_[a-z0-9_]+)\(", re.M)
_DEFINE = re.compile(r"^#define\s+(MARS_[A-Z0-9_]+)\s+\(?(-?(?:0x[0-9A-Fa-f]+|\d+))u?\)?", re.M)


def header_functions(header: Path) -> set[str]:
    return set(_DECL.findall(header.read_text()))


def header_defines(header: Path) -> dict[str, int]:
    return {name: int(value, 0) for name, value in _DEFINE.findall(header.read_text())}


def test_bound_functions_equal_header_functions(header_path: Path) -> None:
    declared = header_functions(header_path)
    bound = set(_lib.SIGNATURES)
    assert declared, "no declarations parsed from mars.h"
    assert bound == declared, f"header only: {declared - bound}; binding only: {bound - declared}"


def test_every_function_has_its_signature_declared() -> None:
    lib = _lib.lib()
    for name, (restype, argtypes) in _lib.SIGNATURES.items():
        if name in _lib.OPTIONAL and not _lib.has(lib, name):
            continue  # an older library; the header test above reports it
        fn = getattr(lib, name)
        assert fn.restype == restype and fn.argtypes == argtypes, name


def test_library_exports_what_the_binding_binds() -> None:
    nm = shutil.which("nm")
    path = getattr(_lib.lib(), "_name", "")
    if nm is None or not Path(path).exists():
        pytest.skip("nm or the library path is unavailable")
    out = subprocess.run([nm, "-D", "--defined-only", path], capture_output=True, text=True, check=True)
    exported = {line.split()[-1].split("@")[0] for line in out.stdout.splitlines() if line.strip()}
    assert exported == set(_lib.SIGNATURES)


# prefix -> enum; every MARS_<prefix><NAME> must be <enum>.<NAME> and back.
ENUM_PREFIXES: list[tuple[str, type[IntEnum], set[str]]] = [
    ("MARS_E", mars.Result, {"OK"}),
    ("MARS_ECT_LOCAL_", mars.LocalCode, set()),
    ("MARS_RESP_", mars.Resp, set()),
    ("MARS_IDENTIFY_CHECK_", mars.Identify, set()),
    ("MARS_CHANNEL_STRATEGY_", mars.ChannelStrategy, set()),
    ("MARS_NET_", mars.Net, set()),
    ("MARS_LONGLINK_", mars.LonglinkStatus, set()),
    ("MARS_LEVEL_", mars.Level, set()),
    ("MARS_XLOG_MODE_", mars.XlogMode, set()),
    ("MARS_XLOG_COMPRESS_", mars.Compress, set()),
    ("MARS_SDT_CHECK_", mars.SdtCheck, set()),
    ("MARS_PROXY_", mars.Proxy, set()),
    ("MARS_HEARTBEAT_", mars.Heartbeat, set()),
    ("MARS_QUALITY_", mars.Quality, set()),
    ("MARS_DYNAMIC_TIMEOUT_", mars.DynamicTimeout, set()),
]


@pytest.mark.parametrize("prefix, enum, extra", ENUM_PREFIXES, ids=[p for p, _, _ in ENUM_PREFIXES])
def test_enum_matches_header(header_path: Path, prefix: str, enum: type[IntEnum], extra: set[str]) -> None:
    defines = header_defines(header_path)
    if prefix == "MARS_E":  # result codes: MARS_OK plus MARS_E<letters> (all of them)
        want = {n[len("MARS_") :]: v for n, v in defines.items() if re.fullmatch(r"MARS_(OK|E[A-Z]+)", n)}
    else:
        others = [p for p, _, _ in ENUM_PREFIXES if p != prefix and p.startswith(prefix)]
        want = {
            n[len(prefix) :]: v
            for n, v in defines.items()
            if n.startswith(prefix) and not any(n.startswith(o) for o in others)
        }
    assert want, f"no {prefix}* defines in mars.h"
    assert {name: int(m) for name, m in enum.__members__.items()} == want


def test_err_types_and_channels_match_header(header_path: Path) -> None:
    d = header_defines(header_path)
    for m in mars.ErrType:
        assert d[f"MARS_ECT_{m.name}"] == m
    for m in mars.Channel:
        assert d[f"MARS_CHANNEL_{m.name}"] == m
    assert d["MARS_NOOP_TASK_ID"] == mars.NOOP_TASK_ID
    assert d["MARS_RESERVED_TASK_ID_START"] == mars.RESERVED_TASK_ID_START
    assert d["MARS_VERSION_MAJOR"] == mars.EXPECTED_MAJOR


def _layout_program(header: Path) -> str:
    lines = ["#include <stdio.h>", "#include <stddef.h>", f'#include "{header}"', "int main(void) {"]
    for cname, cls in S.PUBLIC_STRUCTS.items():
        lines.append(f'  printf("{cname} sizeof %zu\\n", sizeof({cname}));')
        for field, _ in cls._fields_:
            lines.append(f'  printf("{cname} {field} %zu\\n", offsetof({cname}, {field}));')
    lines += ["  return 0;", "}"]
    return "\n".join(lines)


def test_struct_layouts_match_the_compiled_header(header_path: Path, tmp_path: Path) -> None:
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        pytest.skip("no C compiler to compile mars.h")
    src, exe = tmp_path / "layout.c", tmp_path / "layout"
    src.write_text(_layout_program(header_path.resolve()))
    subprocess.run([cc, "-std=c11", "-Wall", "-Werror", "-o", str(exe), str(src)], check=True)
    out = subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout
    c_layout = {tuple(line.split()[:2]): int(line.split()[2]) for line in out.splitlines()}
    for cname, cls in S.PUBLIC_STRUCTS.items():
        assert c_layout[(cname, "sizeof")] == ctypes.sizeof(cls), cname
        for field, _ in cls._fields_:
            assert c_layout[(cname, field)] == getattr(cls, field).offset, f"{cname}.{field}"


@pytest.mark.parametrize(
    "init, cls",
    [
        ("mars_stn_config_init", S.StnConfig),
        ("mars_stn_callbacks_init", S.StnCallbacks),
        ("mars_task_init", S.Task),
        ("mars_xlog_config_init", S.XlogConfig),
    ],
)
def test_init_functions_fill_this_bindings_struct_size(init: str, cls: type[ctypes.Structure]) -> None:
    value, lib_size = S.init_struct(getattr(_lib.lib(), init), cls)
    assert lib_size == ctypes.sizeof(cls), (
        f"{init}: the library's struct is {lib_size} bytes, ours {ctypes.sizeof(cls)}"
    )
    assert value.struct_size == ctypes.sizeof(cls)


def test_init_of_a_newer_library_cannot_overrun() -> None:
    # A library whose struct grew writes past this binding's sizeof; the
    # slack takes it and struct_size is cut back to what the binding knows.
    grown = 64

    def newer_init(ref: object) -> int:
        obj = ref._obj  # type: ignore[attr-defined]
        ctypes.memset(ctypes.addressof(obj), 0x5A, ctypes.sizeof(obj) + grown)
        obj.struct_size = ctypes.sizeof(obj) + grown
        return 0

    value, lib_size = S.init_struct(newer_init, S.Task)
    assert lib_size == ctypes.sizeof(S.Task) + grown
    assert value.struct_size == ctypes.sizeof(S.Task)


def test_init_uses_the_sized_variant_when_the_library_has_it() -> None:
    # The sized initialiser fills exactly this binding's struct: nothing is
    # written behind it, so no slack buffer is involved.
    lib = _lib.lib()
    assert _lib.has_feature(lib, "init_sized")
    value, lib_size = S.init_struct(lib.mars_task_init, S.Task)
    assert lib_size == ctypes.sizeof(S.Task)
    assert value._b_base_ is None  # a plain instance, not a view into a slack buffer
    assert value.priority == 3 and value.retry_count == -1


class _StubLib:
    """A library stand-in: a version number, a feature answer, and every
    optional function present as a symbol (so only the feature query can
    tell the binding that one is missing)."""

    def __init__(self, number: int, features: set[str]) -> None:
        self.number = number
        self.features = features
        self.asked: list[str] = []
        for name in _lib.OPTIONAL:
            setattr(self, name, lambda *a: 0)

        def has_feature(name: bytes) -> int:
            self.asked.append(name.decode())
            return int(name.decode() in self.features)

        self.mars_has_feature = has_feature

    def mars_version_number(self) -> int:
        return self.number


_FEATURE_LINE = re.compile(r'^ \*\s+"([a-z_]+)"', re.M)


def header_features(header: Path) -> set[str]:
    text = header.read_text()
    section = text[text.index("The names of this version:") : text.index("struct fields named above")]
    return set(_FEATURE_LINE.findall(section))


def test_every_optional_function_names_a_documented_feature(header_path: Path) -> None:
    documented = header_features(header_path)
    assert len(documented) >= 13
    wanted = set(_lib.OPTIONAL.values()) - {_lib.FEATURE_QUERY}
    assert wanted <= documented, f"not in mars.h: {wanted - documented}"


def test_the_loaded_library_has_every_documented_feature(header_path: Path) -> None:
    for name in header_features(header_path):
        assert mars.has_feature(name), name
    assert not mars.has_feature("no_such_feature")


def test_optional_functions_follow_the_feature_query_not_the_symbols() -> None:
    stub = _StubLib(2000, {"sdt"})
    assert _lib.has(stub, "mars_sdt_check")
    assert not _lib.has(stub, "mars_stn_poll")  # the symbol is there; the feature is not
    assert not _lib.has(stub, "mars_task_init_sized")
    assert _lib.has(stub, "mars_stn_start_task")  # not optional: every library of the major
    assert _lib.has(stub, "mars_has_feature")
    assert stub.asked == ["sdt", "poll", "init_sized"]


def test_a_library_before_the_feature_query_has_no_optional_feature() -> None:
    stub = _StubLib(1000, set(_lib.OPTIONAL.values()))
    assert not any(_lib.has(stub, name) for name in _lib.OPTIONAL)
    assert _lib.has(stub, "mars_xlog_open")
    assert stub.asked == []
