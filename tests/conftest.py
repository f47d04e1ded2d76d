"""Shared fixtures: a small valid outline written to a temporary folder; fixture outlines built once."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest
from hypothesis import settings

from builder import pipeline

# Property tests draw the same examples on every run and machine, so the suite passes or fails
# alike for everyone (a random draw once failed CI alone). HYPOTHESIS_PROFILE=explore draws anew.
settings.register_profile("fixed", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fixed"))

MINIMAL = """\
program:
  title: Crying in therapy
  subtitle: A short test workshop
  description: >-
    A test description of the workshop for psychologists, counselors and social workers that
    runs long enough to look like a real program description, with its limitations stated
    plainly: the evidence comes from practitioner essays and a research review, so the claims
    are modest and the methods are illustrative rather than tested in trials, and participants
    should weigh them against their own clinical judgment and the needs of their clients.
  audience: [psychologists]
  level: introductory
  format: in-person
  dates: [2027-03-12]
objectives:
  - text: Describe the S-P sequence.
  - text: Identify two conditions for therapeutic crying.
  - text: Explain one limit of the evidence.
presenters:
  - name: Ada Lovelace
    credentials: PhD
    position: Psychologist
    bio: >-
      Ada Lovelace is a psychologist with many years of practice in community clinics and
      private practice, where she works with adults who live with anxiety, grief and the
      aftermath of trauma. She has trained clinicians in emotion-focused methods for a decade
      and supervises early-career therapists. Her interests include the role of emotional
      expression in recovery and the ethics of clinical training.
    disclosure: Has no relevant financial relationships to disclose.
sources:
  a2012:
    kind: magazine
    authors: ["Von Glahn, J."]
    year: 2012
    title: In praise of therapeutic crying
    container: Psychotherapy Networker
  b2021:
    kind: journal
    authors: ["Bylsma, L. M.", "Gračanin, A.", "Vingerhoets, A. J. J. M."]
    year: 2021
    title: A clinical practice review of crying research
    container: Psychotherapy
    volume: 58
    issue: 1
    pages: 133-149
    doi: 10.1037/pst0000342
    peer_reviewed: true
  c:
    kind: web
    title: "Tears: A positive sign in cry-resistant patients"
    container: Virtual Psych Centre
    url: https://example.org/tears
agenda:
  - title: Basics
    minutes: 30
    blocks:
      - point: Crying can relieve a presenting complaint
        detail: A fuller paragraph for the handout.
        notes: Say this slowly.
        cite: a2012
      - quote: The less the therapist does, the better.
        by: Jeffrey Von Glahn
        cite: a2012
      - process: The S-P sequence
        steps:
          - {name: S-phase, text: Build-up with a sense of safety}
          - {name: Peak, text: Intensity peaks}
          - {name: P-phase, text: Release and relief}
        cite: a2012
  - title: Break
    minutes: 10
    credit: false
  - title: Practice
    minutes: 35
    blocks:
      - case: A housebound client
        text: A short case text.
        questions: [What reactivated her grief?]
        cite: a2012
      - discussion: Reflection
        questions: [When do you hurry to calm a client?]
      - activity: Pairs
        minutes: 10
        instructions: Discuss in pairs.
research:
  summary: Both articles are practitioner essays.
  findings:
    - point: Benefit depends on context
      cite: b2021
  limitations:
    - Single cases only.
takeaways:
  - Patience matters.
commercial_support: none
"""


@pytest.fixture
def outline(tmp_path: Path) -> Path:
    """Return the path of a small valid outline."""
    path = tmp_path / "mini.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    return path


@pytest.fixture
def write_outline(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Return a function that writes outline text to a file and returns its path."""

    def write(text: str, name: str = "bad.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


ROOT = Path(__file__).parent.parent
# the example kits by name (None: the built-in default kit)
EXAMPLE_KITS: dict[str, Path | None] = {
    "default": None,
    "harborlight": ROOT / "sources" / "brands" / "harborlight",
    "northwind": ROOT / "sources" / "brands" / "northwind",
}
FIXTURE_OUTLINES = sorted((Path(__file__).parent / "fixtures" / "outlines").glob("*.yaml"))


@functools.cache
def produced(path: Path) -> tuple[pipeline.Loaded, dict[str, bytes]]:
    """Return an outline's loaded model and its deck and handout bytes, built once per session."""
    return pipeline.produce(pipeline.Job(path), ["deck", "handout"])
