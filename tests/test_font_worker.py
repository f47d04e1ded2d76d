"""The font worker (builder.font_worker): forked early only for a first build that draws PDFs,
sent the built-in kit's faces at once when that kit alone is built, and waited for, until
its cut exists, by a process forked after it (a parallel build's worker)."""

from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path

import pytest

from builder import entry, font_cuts, font_worker, fonts
from builder.brand import default_kit, load_brand
from tests.test_font_instance import SOURCES, _fonttools


def test_the_worker_is_forked_early_only_for_a_first_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[bool] = []
    monkeypatch.setattr(font_worker, "start", lambda: started.append(True))
    font_worker.start_for_first_build(["check"], tmp_path)
    assert started == []
    font_worker.start_for_first_build(["build", "x.yaml"], tmp_path)
    assert started == [True]
    font_worker.start_for_first_build(["build", "--format", "deck"], tmp_path)
    font_worker.start_for_first_build(["build", "--format=deck"], tmp_path)
    assert started == [True]  # the deck alone cuts nothing
    font_worker.start_for_first_build(["build", "x.yaml", "--help"], tmp_path)
    assert started == [True]  # nothing is built
    font_worker.start_for_first_build(["build", "--format", "deck", "--format=handout"], tmp_path)
    assert started == [True, True]
    (tmp_path / "Arimo-Bold-cut.ttf").write_bytes(b"")
    font_worker.start_for_first_build(["build"], tmp_path)
    assert started == [True, True]


def test_option_values_are_read_in_both_spellings() -> None:
    argv = ["build", "a.yaml", "--brand", "north", "--brand=default", "--format", "deck"]
    assert font_worker.option_values(argv, "--brand") == ["north", "default"]
    assert font_worker.option_values(argv, "--paper") == []
    assert font_worker.option_values(["build", "--brand"], "--brand") == []  # no value given


@pytest.mark.parametrize(
    ("argv", "sent"),
    [
        (["build", "a.yaml"], True),
        (["build", "a.yaml", "--brand", "default"], True),
        (["build", "a.yaml", "--brand=default", "--brand", "default"], True),
        (["build", "a.yaml", "--brand", "northwind"], False),
        (["build", "a.yaml", "--brand", "default", "--brand=northwind"], False),
        (["build", "a.yaml", "--brand", "all"], False),
    ],
)
def test_the_built_in_kits_faces_are_sent_at_once_only_when_it_alone_is_built(
    argv: list[str], sent: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(font_worker, "start_for_first_build", lambda argv, fonts: True)
    monkeypatch.setattr(fonts, "prepare_built_in", lambda: calls.append("sent"))
    entry._first_build_fonts(argv)
    assert calls == (["sent"] if sent else [])
    monkeypatch.setattr(font_worker, "start_for_first_build", lambda argv, fonts: False)
    entry._first_build_fonts(argv)  # no worker forked (not a first build): nothing sent
    assert calls == (["sent"] if sent else [])


def test_the_built_in_kit_is_the_family_whose_faces_are_sent_ahead() -> None:
    brand, _ = load_brand(default_kit())
    built_in = fonts.family_for(fonts.BUILT_IN)
    assert brand.body_font == built_in
    assert brand.heading_font in (None, built_in)


def test_a_cut_sent_to_the_worker_is_ready_when_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    source = SOURCES[0]
    face = font_cuts.cut_path(str(tmp_path / "regular.ttf"), source, 400, lean=True)
    assert font_cuts.prefetch([face])
    assert font_worker.running(str(face))
    assert font_cuts.prefetch([face])  # being cut: nothing sent again, and said so
    font_worker.wait(str(face))
    assert not font_worker.running(str(face))
    assert Path(str(face)).read_bytes() == _fonttools(source, 400)
    assert not font_cuts.prefetch([face])  # in the cache: nothing to cut


def _foreign_worker(process: subprocess.Popen[bytes]) -> font_worker._Worker:
    """Return process as a worker that another process forked (so this one cannot wait)."""
    worker = font_worker._Worker(process.pid, -1)
    worker.parent = os.getppid()
    return worker


def test_a_process_forked_after_the_worker_waits_until_its_cut_exists(tmp_path: Path) -> None:
    target = tmp_path / "cut.ttf"
    with subprocess.Popen(["sleep", "30"]) as process:
        try:
            later = threading.Timer(0.2, target.write_bytes, (b"cut",))
            later.start()
            _foreign_worker(process).wait(str(target))
            assert target.read_bytes() == b"cut"
            assert process.poll() is None  # the cut, not the worker's end, ended the wait
        finally:
            process.kill()


def test_a_process_forked_after_the_worker_stops_waiting_when_it_ends(tmp_path: Path) -> None:
    target = tmp_path / "never.ttf"
    with subprocess.Popen(["sleep", "0.2"]) as process:
        _foreign_worker(process).wait(str(target))  # ended, not yet collected: no cut coming
        assert not target.exists()
    assert not font_worker._alive(process.pid)  # collected by now: no such process
