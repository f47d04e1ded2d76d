"""The one place that knows the order of the stages: load, check, render, parse, write.

Every output of a build is made in memory first and then moved into place file by file
(temporary file + os.replace), so a failed build never leaves a half-written file.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from builder.brand import Brand, default_kit, load_brand
from builder.checks import check_workshop
from builder.collector import settled
from builder.context import Loaded, context, quote_title
from builder.errors import BrandError, CheckError, Problem, WorkshopError, WriteError
from builder.formats import FORMATS, PER_PAGE, Format, Job, Materials, import_writers
from builder.i18n import words_for
from builder.loader import forget_parsed, load_model
from builder.model import Workshop
from builder.publish import publish
from builder.templating import environment

# its own stages, and the formats and context it hands on (builder.formats, builder.context)
__all__ = [
    "preload", "resolve_kit", "outlines_read_once", "load", "produce", "check", "prepare",
    "out_dir", "write_files", "build", "Outcome", "run", "kits_for",
    "FORMATS", "PER_PAGE", "Format", "Job", "Loaded", "Materials", "context", "quote_title",
]  # fmt: skip
# what every build imports besides the writers
_SHARED = ("builder.layout",)


def preload(formats: list[str], outlines: list[Path]) -> None:
    """Import the modules that building formats needs and read the outlines (under
    `outlines_read_once`), so worker processes forked from this one start with them."""
    import importlib

    for name in _SHARED:
        importlib.import_module(name)
    import_writers(formats)
    for outline in dict.fromkeys(outlines):
        with suppress(WorkshopError):  # each of its jobs reports the problems
            _outline(outline)


def resolve_kit(name: str, brands_dir: Path) -> Path:
    """Return the kit folder for --brand NAME|DIR; 'default' is the built-in kit."""
    if name == "default":
        return default_kit()
    for candidate in (Path(name), brands_dir / name):
        if candidate.is_dir():
            return candidate
    known = ["default"] + sorted(p.name for p in brands_dir.glob("*") if p.is_dir())
    hint = difflib.get_close_matches(name, known, n=1)
    tail = f" (did you mean {hint[0]!r}?)" if hint else ""
    message = f"expected a brand kit folder or one of {', '.join(known)}, got {name!r}{tail}"
    raise BrandError(Problem(name, 0, message))


# Outlines already read and validated, while `outlines_read_once` is in force (else None).
_READ: dict[Path, Workshop] | None = None
_KEEP_TREES = False  # whether the files' parsed trees serve the next job's checks too


@contextmanager
def outlines_read_once(jobs: int = 1) -> Iterator[None]:
    """Within the block, read and validate each outline once however many kits build it; with
    several jobs, parse its YAML once too (for the checks' lines), forgotten when it ends.

    For one command's run only, whose files do not change meanwhile: `watch` reads them again
    on every save (an outline's sources file or figures may change without the outline).
    """
    global _READ, _KEEP_TREES
    (before, _READ), (kept, _KEEP_TREES) = (_READ, {}), (_KEEP_TREES, jobs > 1)
    try:
        yield
    finally:
        _READ, _KEEP_TREES = before, kept
        forget_parsed()


def _outline(path: Path) -> Workshop:
    """Return the validated outline at path, read once under `outlines_read_once`."""
    if _READ is None:
        return load_model(path, Workshop)
    if path not in _READ:
        _READ[path] = load_model(path, Workshop)
    return _READ[path]


def load(job: Job) -> Loaded:
    """Return the outline, brand and provider of a job, with the checks' problems."""
    workshop = _outline(job.outline)
    brand, provider = load_brand(job.kit or default_kit())
    brand = _named_in_language(brand, workshop)
    if job.paper is not None:
        brand = dataclasses.replace(brand, paper=job.paper)
    problems = list(brand.warnings) + check_workshop(workshop, job.outline, provider, brand)
    names: list[str] = []
    if job.roster is not None:  # a bad row is a warning: its name is left for the pen
        from builder.roster import registered_names

        names, bad = registered_names(job.roster)
        problems += [dataclasses.replace(p, severity="warning") for p in bad]
    if not _KEEP_TREES:  # the checks were the last to look lines up in the files' trees
        forget_parsed()
    return Loaded(workshop, brand, provider, problems, tuple(names))


def _named_in_language(brand: Brand, workshop: Workshop) -> Brand:
    """Return the built-in kit's brand named in the outline's language ("Fortbildung" on a
    German handout's pages): its name is a label, no provider's. Any other kit as it is."""
    words = words_for(workshop.program.language)
    if brand.root != default_kit() or words.catalogue == "en":
        return brand
    return dataclasses.replace(brand, name=words("continuing_education"))


def _raise_for(problems: list[Problem], strict: bool) -> None:
    failing = [p for p in problems if p.severity == "error" or strict]
    if failing:
        raise CheckError(failing)


def produce(
    job: Job, formats: list[str], strict: bool = False, loaded: Loaded | None = None
) -> tuple[Loaded, dict[str, bytes]]:
    """Return the loaded outline and each format's file bytes, without writing anything."""
    loaded = loaded or load(job)
    _raise_for(loaded.problems, strict)
    cutting = _start_font_cuts(loaded, formats)
    with settled():  # the writers' modules, imported before their first use
        import_writers(formats)
    materials = Materials(
        environment(job.templates), context(loaded, job.outline), loaded.brand, job
    )
    files: dict[str, bytes] = {}
    # The deck last: python-pptx leaves a heap the PDFs' drawing would only grow on top of;
    # but first while fonts are being cut, which it does not wait for.
    order = sorted(formats, key=lambda name: (name == "deck") != cutting)
    for done, name in enumerate(order, start=1):
        fmt = FORMATS[name]
        files[fmt.filename] = fmt.write(materials)
        materials.release(order[done:])  # what no format left needs: the next one reuses it
    if "deck" in formats:  # the kit's fonts (and licenses) travel with the deck
        files |= {name: src.read_bytes() for name, src in loaded.brand.font_files().items()}
    return loaded, files


def _start_font_cuts(loaded: Loaded, formats: list[str]) -> bool:
    """Start cutting, in workers, the faces the PDFs among formats embed and the font cache
    lacks (beside the templates, the layout and the deck, not when the first PDF reads them);
    return whether any is being cut."""
    if not any(FORMATS[name].filename.endswith(".pdf") for name in formats):
        return False
    from builder.fonts import prepare

    return prepare(loaded.brand.body_font, loaded.brand.heading_font)


def check(job: Job, formats: list[str]) -> list[Problem]:
    """Return every problem of a job: every stage a build runs before drawing (load, templates,
    markup, the deck's layout, the writers' own checks), errors collected, nothing drawn."""
    try:
        loaded = load(job)
    except WorkshopError as exc:
        return exc.problems
    problems = list(loaded.problems)
    if any(p.severity == "error" for p in problems):
        return problems
    try:
        prepare(job, [f for f in formats if not FORMATS[f].redraws], loaded)
    except WorkshopError as exc:
        problems += [p for p in exc.problems if p not in problems]
    return problems


def prepare(job: Job, formats: list[str], loaded: Loaded) -> None:
    """Run every stage of building formats but drawing them; raise what building would."""
    materials = Materials(
        environment(job.templates), context(loaded, job.outline), loaded.brand, job
    )
    for name in formats:
        fmt = FORMATS[name]
        if fmt.prepare is not None:
            fmt.prepare(materials)
        else:
            fmt.write(materials)


def out_dir(job: Job, root: Path, named_brand: bool) -> Path:
    """Return where a job's files go: root/<outline>/ or root/<outline>/<brand>/."""
    folder = root / job.outline.stem
    return folder / job.kit.name if named_brand and job.kit else folder


def write_files(files: dict[str, bytes], folder: Path) -> list[Path]:
    """Publish every file into folder as one set (builder.publish) and return their paths."""
    try:
        return publish(files, folder)
    except OSError as exc:
        raise WriteError(Problem(str(folder), 0, f"could not write: {exc.strerror}")) from None


def build(
    job: Job, formats: list[str], root: Path, named_brand: bool = False, strict: bool = False
) -> tuple[list[Path], list[Problem]]:
    """Build a job's formats into root; return the files written and the warnings."""
    loaded, files = produce(job, formats, strict)
    written = write_files(files, out_dir(job, root, named_brand))
    return written, [p for p in loaded.problems if p.severity != "error"]


@dataclass(frozen=True)
class Outcome:
    """What building one job gave: files written, warnings, or the problems that stopped it."""

    job: Job
    written: list[Path]
    warnings: list[Problem]
    problems: list[Problem]


def run(job: Job, formats: list[str], root: Path, named_brand: bool, strict: bool) -> Outcome:
    """Build one job and report, never raising for a user's mistake (worker processes call it)."""
    try:
        written, warnings = build(job, formats, root, named_brand, strict)
    except WorkshopError as exc:
        return Outcome(job, [], [], exc.problems)
    return Outcome(job, written, warnings, [])


def kits_for(names: list[str], brands_dir: Path) -> list[Path]:
    """Return the kit folders for --brand values; 'all' is every kit in brands_dir.

    'all' means the provider's own kits, not the built-in neutral one: add `--brand default`
    to build that too.
    """
    kits = [resolve_kit(name, brands_dir) for name in dict.fromkeys(names) if name != "all"]
    if "all" in names:
        found = sorted(p for p in brands_dir.glob("*") if (p / "_brand.yml").is_file())
        if not found:
            raise BrandError(Problem(str(brands_dir), 0, "expected brand kits, found none"))
        kits += [k for k in found if k not in kits]
    return kits
