"""The binding as a user gets it: the mars-go wheel installed into a fresh
venv, its bundled libmars found with no environment variable.

run-tests.sh builds the wheel, installs it and sets MARS_WHEEL to its path;
without MARS_WHEEL (tests run from the source tree) these are skipped.
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import mars
from conftest import REPO_ROOT, TIMEOUT
from mars import _lib

WHEEL = os.environ.get("MARS_WHEEL")
needs_wheel = pytest.mark.skipif(not WHEEL, reason="MARS_WHEEL not set: not running against the installed wheel")


def test_version_is_the_librarys() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", mars.__version__)
    assert mars.__version__ == mars.version()


@needs_wheel
def test_imported_from_the_install_not_the_source_tree() -> None:
    package = Path(mars.__file__).resolve().parent
    assert REPO_ROOT / "bindings" / "python" not in package.parents, package
    assert importlib.metadata.version(mars.DISTRIBUTION) == mars.__version__


@needs_wheel
def test_bundled_library_loaded_without_environment() -> None:
    assert "MARS_LIBRARY" not in os.environ
    package = Path(mars.__file__).resolve().parent
    assert Path(_lib.loaded_path()).parent == package
    assert _lib.candidates()[0] == str(package / f"libmars.so.{mars.EXPECTED_MAJOR}")


@needs_wheel
def test_wheel_is_tagged_for_its_platform() -> None:
    assert WHEEL is not None
    with zipfile.ZipFile(WHEEL) as z:
        names = z.namelist()
        info = next(n for n in names if n.endswith(".dist-info/WHEEL"))
        meta = z.read(info).decode()
    assert f"mars/libmars.so.{mars.EXPECTED_MAJOR}" in names
    assert "Root-Is-Purelib: false" in meta
    tags = re.findall(r"^Tag: (\S+)$", meta, re.M)
    assert tags and all(re.fullmatch(rf"py3-none-manylinux_2_\d+_{platform.machine()}", t) for t in tags), tags


@needs_wheel
def test_wheel_carries_the_license() -> None:
    assert WHEEL is not None
    with zipfile.ZipFile(WHEEL) as z:
        names = z.namelist()
        licenses = [n for n in names if re.fullmatch(r"[^/]+\.dist-info/licenses/LICENSE", n)]
        assert licenses, names
        assert z.read(licenses[0]) == (REPO_ROOT / "LICENSE").read_bytes()
        meta = z.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert re.search(r"^License-Expression: MIT$", meta, re.M), meta
    assert re.search(r"^License-File: LICENSE$", meta, re.M), meta
    dist = importlib.metadata.distribution(mars.DISTRIBUTION)
    assert any(str(f).endswith("licenses/LICENSE") for f in dist.files or []), "installed with the package"


@needs_wheel
def test_mars_library_overrides_the_bundled_one(tmp_path: Path) -> None:
    other = tmp_path / "libmars-elsewhere.so"
    shutil.copy(_lib.loaded_path(), other)
    code = "import mars, mars._lib as l; print(l.loaded_path())"
    env = dict(os.environ, MARS_LIBRARY=str(other))
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(other)
