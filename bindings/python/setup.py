"""Wheel tags for a wheel that carries libmars (build/wheel.sh builds it).

The package is pure Python (ctypes), but a wheel with libmars.so inside only
runs on the platform the library was built for, so such a wheel is tagged
py3-none-<platform> with Root-Is-Purelib false. build/wheel.sh passes the
platform tag (manylinux_2_<glibc>_<arch>, from the library's newest glibc
symbol version) in MARS_WHEEL_PLATFORM; a wheel without the library stays
py3-none-any.
"""

from __future__ import annotations

import os
from pathlib import Path

from setuptools import Distribution, setup
from setuptools.command.bdist_wheel import bdist_wheel

HERE = Path(__file__).resolve().parent


def bundles_library() -> bool:
    return any((HERE / "mars").glob("libmars.so*"))


class LibraryDistribution(Distribution):
    """Counts the bundled library as binary content: the wheel is then not
    pure (Root-Is-Purelib false) and the package sits at the wheel's root."""

    def has_ext_modules(self) -> bool:
        return bundles_library()


class PlatformWheel(bdist_wheel):
    """bdist_wheel that tags a wheel carrying libmars for its platform only,
    not for a Python version or ABI (the binding is ctypes)."""

    def get_tag(self) -> tuple[str, str, str]:
        if not bundles_library():
            return super().get_tag()
        platform = os.environ.get("MARS_WHEEL_PLATFORM") or super().get_tag()[2]
        return "py3", "none", platform


setup(distclass=LibraryDistribution, cmdclass={"bdist_wheel": PlatformWheel})
