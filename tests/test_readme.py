"""The README's Python example runs as written, and installing warns of nothing in our
own metadata."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def readme_example() -> str:
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text("utf-8"), re.S)
    return next(b for b in blocks if "extract_paths" in b)


def test_the_readme_example_runs_on_a_folder_with_an_unreadable_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "samples"
    folder.mkdir()
    (folder / "report.txt").write_text(
        "Cement output\n2022-03-01\n\nThe Sangwon Cement Complex met its quarterly plan."
    )
    (folder / "broken.json").write_text('[{"headline": ')
    (folder / "empty.txt").write_text("")
    monkeypatch.chdir(tmp_path)
    exec(compile(readme_example(), "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    skipped = sorted(line.split()[1] for line in printed if line.startswith("skipped "))
    assert skipped == [str(Path("samples") / "broken.json"), str(Path("samples") / "empty.txt")]
    [post] = [line for line in printed if not line.startswith("skipped ")]
    assert "Sangwon Cement Complex" in post


def test_the_project_metadata_uses_current_forms() -> None:
    """setuptools 77 and later warn of a licence written as a table: it is an SPDX string."""
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert isinstance(meta["project"]["license"], str)
    assert "setuptools>=77" in meta["build-system"]["requires"]
    assert not any(c.startswith("License ::") for c in meta["project"].get("classifiers", []))
