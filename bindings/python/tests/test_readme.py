"""The README's example runs as written (address and log folder swapped)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import mars
from conftest import TIMEOUT, Marsd

README = Path(__file__).resolve().parents[1] / "README.md"


def example_code() -> str:
    text = README.read_text()
    start = text.index("```python", text.index("## Example")) + len("```python\n")
    return text[start : text.index("```", start)]


def test_readme_example_runs(marsd: Marsd, tmp_path: Path) -> None:
    code = example_code()
    assert "longlink_ports=[8080]" in code and '"/tmp/logs"' in code
    code = code.replace('longlink_host="127.0.0.1"', f"longlink_host={marsd.long_host!r}")
    code = code.replace("longlink_ports=[8080]", f"longlink_ports=[{marsd.long_port}]")
    code = code.replace('"/tmp/logs"', repr(str(tmp_path)))
    env = dict(os.environ, PYTHONPATH=str(Path(mars.__file__).resolve().parents[1]))
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=TIMEOUT * 3)
    assert proc.returncode == 0, proc.stderr
    assert "long link: CONNECTED" in proc.stdout
    assert "[app][" in proc.stdout and "started" in proc.stdout and "via logging" in proc.stdout
