"""The program's entry: an unexpected exception is a short report, the traceback only on --debug."""

from __future__ import annotations

import gc
import subprocess
import sys
import types
from pathlib import Path

import pytest

from builder import collector, entry, pipeline

SHIPPED = "sources/therapeutic-crying.yaml"


def _boom(*args: object, **kwargs: object) -> object:
    raise RuntimeError("boom\nsecond line")


def test_an_unexpected_exception_is_reported_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setattr(pipeline, "produce", _boom)
    with pytest.raises(SystemExit) as exit_:
        entry.main(["build", SHIPPED, "--out", str(tmp_path), "--jobs", "1"])
    assert exit_.value.code == entry.INTERNAL
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: boom" in err
    assert "second line" not in err and "Traceback" not in err
    assert f"input: workshop build {SHIPPED}" in err and "--debug" in err


def test_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(pipeline, "produce", _boom)
    with pytest.raises(RuntimeError, match="boom"):
        entry.main(["build", SHIPPED, "--out", str(tmp_path), "--jobs", "1", "--debug"])


def test_user_errors_still_exit_1_with_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("program:\n  title: [unclosed\n")
    done = subprocess.run([sys.executable, "-m", "builder", "check", str(bad)],
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 1
    assert f"{bad}:" in done.stderr and "Traceback" not in done.stderr


def test_settled_leaves_the_collector_alone_outside_the_program() -> None:
    frozen = gc.get_freeze_count()
    with collector.settled():
        assert gc.isenabled()
        sys.modules["_settled_probe"] = types.ModuleType("_settled_probe")
    sys.modules.pop("_settled_probe")
    assert gc.isenabled() and gc.get_freeze_count() == frozen


def test_settled_freezes_what_lives_once_new_modules_are_imported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(collector, "PROGRAM", True)
    frozen = gc.get_freeze_count()
    try:
        with collector.settled():
            assert not gc.isenabled()
        assert gc.isenabled() and gc.get_freeze_count() == frozen  # nothing new: a later build
        with collector.settled():
            sys.modules["_settled_probe"] = types.ModuleType("_settled_probe")
        assert gc.isenabled() and gc.get_freeze_count() > frozen
    finally:
        sys.modules.pop("_settled_probe", None)
        gc.unfreeze()
