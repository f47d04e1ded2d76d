"""The `workshop` command: a thin Click layer over the pipeline; the only place that prints.

User errors print `error: file:line: field: message` and exit 1; usage errors exit 2.
Each command imports what only it needs when it runs, so a build does not pay for watching,
certificates or worker processes it does not start.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import os
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import click

from builder import __version__, pipeline
from builder.brand import Brand, default_kit
from builder.checks import placeholders_remain
from builder.collector import settled
from builder.errors import Problem, WorkshopError
from builder.model import Workshop
from builder.templating import blocks_of, builtin_dir, builtin_templates

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from builder import certificates as issuing
    from builder.roster import Roster
    from builder.watch import Result as BuildResult

F = TypeVar("F", bound=Callable[..., Any])
SOURCES = Path("sources")
FORMAT_NAMES = list(pipeline.FORMATS)


def _outlines(given: tuple[Path, ...]) -> list[Path]:
    if given:
        return list(given)
    found = sorted(SOURCES.glob("*.yaml"))
    if not found:
        raise click.UsageError(f"no OUTLINE given and no *.yaml in {SOURCES}/")
    return found


def _show(problems: list[Problem]) -> None:
    for p in problems:
        click.echo(f"{p.severity}: {p}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="workshop")
def main() -> None:
    """Build a CE workshop's deck and handout from one YAML outline."""


@main.command()
@click.argument("outlines", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--brand",
    "brands",
    multiple=True,
    default=["default"],
    show_default=True,
    help="Brand kit (repeatable): 'default', a name under sources/brands/, a folder, or 'all'.",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(FORMAT_NAMES),
    help="Formats to build (repeatable); default: all.",
)
@click.option(
    "--out",
    "out",
    default=Path("output"),
    type=click.Path(path_type=Path),
    show_default=True,
    help="Folder for results: OUT/<outline>/deck.pptx, or OUT/<outline>/<brand>/ with --brand.",
)
@click.option(
    "--templates",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of templates overriding the built-ins (default: ./templates).",
)
@click.option(
    "--paper", type=click.Choice(["letter", "a4"]), help="Handout paper (default: the brand's)."
)
@click.option(
    "--per-page",
    type=click.Choice([str(n) for n in pipeline.PER_PAGE]),
    default="3",
    show_default=True,
    help="Slides a page in slides.pdf (3: with lines for notes beside each).",
)
@click.option(
    "--roster",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Registration list (CSV or XLSX with a name column) to print on the sign-in sheet.",
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    help="Worker processes (default: the cores, or 1 while the machine is busy already).",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.version_option(__version__, prog_name="workshop")
def build(
    outlines: tuple[Path, ...],
    brands: tuple[str, ...],
    formats: tuple[str, ...],
    out: Path,
    templates: Path | None,
    paper: Literal["letter", "a4"] | None,
    per_page: str,
    roster: Path | None,
    jobs: int | None,
    strict: bool,
) -> None:
    """Build OUTLINES (default: every sources/*.yaml) into OUT, under each brand."""
    chosen = list(formats) or FORMAT_NAMES
    try:
        kits = pipeline.kits_for(list(brands), SOURCES / "brands")
    except WorkshopError as exc:
        _show([_as_error(p) for p in exc.problems])
        sys.exit(1)
    if "all" in brands:
        _report_kits(kits)
    named = list(brands) != ["default"]
    work = [
        pipeline.Job(o, k, _templates(templates), paper, int(per_page), roster)
        for o in _outlines(outlines)
        for k in kits
    ]
    with pipeline.outlines_read_once(len(work)):
        outcomes = _run_all(work, chosen, out, named, strict, jobs)
    failed = [o for o in outcomes if o.problems]
    for outcome in outcomes:
        _show(outcome.warnings)
        for path in outcome.written:
            click.echo(f"wrote {path}")
    for outcome in failed:
        _show([_as_error(p) for p in outcome.problems])
    if failed:
        names = ", ".join(f"{o.job.outline.stem} ({_kit_name(o.job)})" for o in failed)
        click.echo(f"error: {len(failed)} of {len(outcomes)} builds failed: {names}", err=True)
        sys.exit(1)


def _report_kits(kits: list[Path]) -> None:
    """Say on stderr which kits --brand all found (the built-in default is not one of them)."""
    names = ", ".join("default" if k == default_kit() else k.name for k in kits)
    click.echo(f"brands: {names}", err=True)
    if default_kit() not in kits:
        click.echo(f"(all = every kit in {SOURCES / 'brands'}/; add --brand default for the "
                   "built-in neutral kit)", err=True)  # fmt: skip


def _kit_name(job: pipeline.Job) -> str:
    return job.kit.name if job.kit else "default"


def _run_all(
    work: list[pipeline.Job],
    formats: list[str],
    out: Path,
    named: bool,
    strict: bool,
    jobs: int | None,
) -> list[pipeline.Outcome]:
    """Run every job; several at once in worker processes, with a progress bar on stderr."""
    workers = min(len(work), jobs or _idle_cores())
    if workers == 1:
        return [pipeline.run(job, formats, out, named, strict) for job in work]
    from concurrent.futures import as_completed

    outcomes: dict[int, pipeline.Outcome] = {}
    with (
        _pool(workers, formats, [job.outline for job in work]) as pool,
        click.progressbar(length=len(work), label="building", file=sys.stderr) as bar,
    ):
        futures = {
            pool.submit(pipeline.run, job, formats, out, named, strict): i
            for i, job in enumerate(work)
        }
        for future in as_completed(futures):
            outcomes[futures[future]] = future.result()
            bar.update(1)
    return [outcomes[i] for i in range(len(work))]


def _idle_cores() -> int:
    """Return the cores, or 1 when other programs keep them all busy already (a load average
    of at least the cores): then workers only share the same cores and cost their start."""
    cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:  # not known here
        return cores
    return 1 if load >= cores else cores


def _pool(workers: int, formats: list[str], outlines: list[Path]) -> ProcessPoolExecutor:
    """Return worker processes that start with the writers of formats imported and the
    outlines read (`pipeline.preload`).

    On Linux, in a process with no other thread, they are forked from this one once it has
    imported them (a spawned worker imports everything again: a second or more each); where
    forking is unsafe, they are spawned. The pool starts its workers before its own thread.
    """
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor

    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    with settled():  # frozen before the fork: no worker's collections walk (and copy) them
        pipeline.preload(formats, outlines)
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))


def _as_error(p: Problem) -> Problem:
    return Problem(p.file, p.line, p.message, p.field, "error")


TEMPLATES = Path("templates")  # the workspace's own templates, picked up automatically


def _templates(given: Path | None) -> Path | None:
    """Return the folder whose templates override the built-ins: --templates, else ./templates."""
    if given is not None:
        return given
    return TEMPLATES if TEMPLATES.is_dir() else None


@main.command()
@click.argument("outlines", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--brand", "brand", default="default", show_default=True, help="Brand kit to check with."
)
@click.option("--templates", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.version_option(__version__, prog_name="workshop")
def check(outlines: tuple[Path, ...], brand: str, templates: Path | None, strict: bool) -> None:
    """Run every stage but writing on OUTLINES and list every problem."""
    problems: list[Problem] = []
    for outline in _outlines(outlines):
        try:
            kit = pipeline.resolve_kit(brand, SOURCES / "brands")
        except WorkshopError as exc:
            problems += exc.problems
            continue
        problems += pipeline.check(pipeline.Job(outline, kit, _templates(templates)), FORMAT_NAMES)
    _show(problems)
    errors = [p for p in problems if p.severity == "error" or strict]
    if errors:
        sys.exit(1)
    click.echo(f"ok: {len(problems)} warning(s)", err=True)


@main.command()
@click.argument(
    "outline", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--brand", default="default", show_default=True, help="Brand kit: a name or a folder."
)
@click.option("--templates", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", default=Path("output"), type=click.Path(path_type=Path), show_default=True)
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(FORMAT_NAMES),
    help="Formats to build (repeatable); default: all.",
)
@click.version_option(__version__, prog_name="workshop")
def watch(
    outline: Path | None, brand: str, templates: Path | None, out: Path, formats: tuple[str, ...]
) -> None:
    """Build OUTLINE, then rebuild it on every save of the outline, the kit or the templates.

    Only the formats whose inputs changed are rebuilt; on bad input the last good files stay.
    OUTLINE may be left out when sources/ holds one outline. Ctrl-C stops.
    """
    try:
        kit = pipeline.resolve_kit(brand, SOURCES / "brands")
    except WorkshopError as exc:
        _show([_as_error(p) for p in exc.problems])
        sys.exit(1)
    from builder.watch import watch as watch_job

    job = pipeline.Job(_one_outline(outline), kit, _templates(templates))
    extra = f" and the templates in {job.templates}/" if job.templates else ""
    click.echo(f"watching {job.outline}, the {brand} kit{extra} (Ctrl-C stops)")
    builds = watch_job(job, list(formats) or FORMAT_NAMES, out, brand != "default")
    shown: list[Problem] = []
    try:
        for count, result in enumerate(builds):
            shown = _report_watch(result, "rebuilt" if count else "built", shown)
    except KeyboardInterrupt:
        click.echo("stopped")


def _one_outline(given: Path | None) -> Path:
    found = _outlines((given,) if given else ())
    if len(found) > 1:
        raise click.UsageError(f"{len(found)} outlines in {SOURCES}/; name the one to watch")
    return found[0]


def _report_watch(result: BuildResult, verb: str, shown: list[Problem]) -> list[Problem]:
    """Print one build of `watch`: the files and time, or the errors and the files kept.

    Warnings print when they differ from the last shown, not again on every save; return them.
    """
    if result.problems:
        _show([_as_error(p) for p in result.problems])
        kept = ", ".join(str(p) for p in result.kept)
        click.echo(f"kept the last good files: {kept}" if kept else "wrote nothing", err=True)
        return shown
    if result.warnings != shown:
        _show(result.warnings)
    click.echo(f"{verb} {', '.join(result.filenames)} in {result.seconds:.2f} s")
    return result.warnings


@main.command()
@click.argument("name")
@click.version_option(__version__, prog_name="workshop")
def new(name: str) -> None:
    """Write a commented, valid starting outline to sources/NAME.yaml."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        raise click.BadParameter("expected lower-case letters, digits and '-'", param_hint="NAME")
    target = SOURCES / f"{name}.yaml"
    if target.exists():
        raise click.ClickException(f"{target} exists already; choose another NAME")
    SOURCES.mkdir(exist_ok=True)
    target.write_text(
        (builtin_dir() / "new-outline.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    click.echo(f"wrote {target}")


@main.command()
@click.version_option(__version__, prog_name="workshop")
def schema() -> None:
    """Print the outline's JSON Schema (for editor autocompletion)."""
    data = Workshop.model_json_schema(by_alias=True)
    data["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    data["title"] = "Workshop outline"
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


@main.command("certificates")
@click.argument("outline", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("roster", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--brand", default="default", show_default=True, help="Brand kit: a name or a folder."
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the certificates (default: output/<outline>/[<brand>/]certificates).",
)
@click.option(
    "--partial-credit",
    "partial",
    multiple=True,
    type=click.Choice(["APA", "NBCC", "ASWB", "CAMFT"]),
    help="A body that gives partial credit for this program (repeatable); by default none "
    "does: full attendance is required.",
)
@click.option("--jobs", type=click.IntRange(1, 64), help="Worker processes (default: cores).")
@click.version_option(__version__, prog_name="workshop")
def certificates_command(
    outline: Path,
    roster: Path,
    brand: str,
    out: Path | None,
    partial: tuple[str, ...],
    jobs: int | None,
) -> None:
    """Issue certificates of attendance to the eligible attendees of ROSTER (CSV or XLSX).

    Writes one PDF per certificate, certificates.pdf with them all and certificates.csv, the
    log of every row: issued or not, and why. Bad rows are reported and skipped; the exit
    status is then 1, after every good row is issued.
    """
    from builder import certificates as issuing
    from builder.roster import read_roster
    from builder.roster_row import Rejected

    try:
        kit = pipeline.resolve_kit(brand, SOURCES / "brands")
        loaded = pipeline.load(pipeline.Job(outline, kit))
        errors = [p for p in loaded.problems if p.severity == "error"]
        if errors:
            _show(errors)
            sys.exit(1)
        _show(loaded.problems)
        draft = placeholders_remain(loaded.problems)
        plan = issuing.plan_for(
            loaded.workshop, loaded.provider, loaded.brand, frozenset(partial), draft
        )
        read = read_roster(roster)
    except WorkshopError as exc:
        _show([_as_error(p) for p in exc.problems])
        sys.exit(1)
    _report_roster(read)
    decisions = [issuing.decide(row, plan) for row in read.rows]
    for decision in decisions:
        if not decision.issued and not isinstance(decision.row, Rejected):
            row = decision.row
            click.echo(f"not issued: {roster}:{row.line}: {row.name}: {decision.reason}", err=True)
    folder = out or pipeline.out_dir(pipeline.Job(outline, kit), Path("output"), brand != "default")
    folder = folder / "certificates" if out is None else folder
    try:
        _show(issuing.unprintable(plan, decisions, roster))  # lays the page out: may not fit
        _issue(plan, decisions, folder, jobs or os.cpu_count() or 1)
    except WorkshopError as exc:  # nothing written: the folder keeps its last set
        _show([_as_error(p) for p in exc.problems])
        sys.exit(1)
    issued = sum(d.issued for d in decisions)
    bad = len([r for r in read.rows if isinstance(r, Rejected)])
    click.echo(
        f"issued {issued} of {len(decisions)}: {len(decisions) - issued - bad} not issued, "
        f"{bad} bad row(s); log in {folder / issuing.LOG}"
    )
    if bad:
        sys.exit(1)


def _report_roster(read: Roster) -> None:
    """Say how the roster was read, and print each bad row's problems."""
    click.echo(f"roster: {read.path} ({read.encoding}), {len(read.rows)} row(s)", err=True)
    if read.ignored:
        click.echo(f"ignored columns: {', '.join(read.ignored)}", err=True)
    _show(read.problems)


def _issue(plan: issuing.Plan, decisions: list[issuing.Decision], folder: Path, jobs: int) -> None:
    """Write the certificates, with a progress bar on stderr for big rosters."""
    from builder import certificates as issuing

    count = sum(d.issued for d in decisions)
    if count <= 50:
        for _ in issuing.issue(plan, decisions, folder, jobs):
            pass
        return
    with click.progressbar(length=count, label="certificates", file=sys.stderr) as bar:
        for done in issuing.issue(plan, decisions, folder, jobs):
            bar.update(done)


@main.group("templates")
def templates_group() -> None:
    """List the built-in templates and copy one into templates/ to edit."""


def _folder_option(help_text: str) -> Callable[[F], F]:
    """Return the --templates option of the templates commands (the folder, ./templates)."""
    return click.option(
        "--templates",
        "folder",
        default=TEMPLATES,
        type=click.Path(file_okay=False, path_type=Path),
        show_default=True,
        help=help_text,
    )


@templates_group.command("list")
@_folder_option("The folder of your templates.")
@click.version_option(__version__, prog_name="workshop")
def templates_list(folder: Path) -> None:
    """List the built-in templates, the blocks an override can replace, and your overrides."""
    for name in builtin_templates():
        mine = folder / name
        click.echo(f"{name}" + (f" (overridden by {mine})" if mine.is_file() else ""))
        click.echo(f"  blocks: {', '.join(blocks_of(name))}")


@templates_group.command("export")
@click.argument("name")
@_folder_option("The folder to copy into (made if missing).")
@click.option("--force", is_flag=True, help="Replace the file if the folder has one already.")
@click.version_option(__version__, prog_name="workshop")
def templates_export(name: str, folder: Path, force: bool) -> None:
    """Copy the built-in template NAME (e.g. deck.xml.j2) into templates/ to edit.

    The copy overrides the built-in from then on. To keep up with changes to the built-in,
    keep only the blocks you change: {% extends "builtin/NAME" %} and those blocks.
    """
    names = builtin_templates()
    if name not in names:
        click.echo(f"error: {_unknown(name, names)}", err=True)
        sys.exit(1)
    target = folder / name
    if target.exists() and not force:
        click.echo(f"error: {target} exists already; add --force to replace it", err=True)
        sys.exit(1)
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{name}.partial"
    partial.write_bytes((builtin_dir() / name).read_bytes())
    os.replace(partial, target)
    click.echo(f"wrote {target}")


def _unknown(name: str, names: list[str]) -> str:
    """Say that name is no built-in template, with the closest names and the whole list."""
    near = difflib.get_close_matches(name, names, n=1) or [n for n in names if n.startswith(name)]
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    return f"no built-in template named {name!r}{hint}; built-in templates: {', '.join(names)}"


@main.group()
def brand() -> None:
    """Create and inspect brand kits."""


@brand.command("new")
@click.argument("name")
@click.version_option(__version__, prog_name="workshop")
def brand_new(name: str) -> None:
    """Scaffold a brand kit in sources/brands/NAME from the built-in neutral kit."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", name):
        message = "expected at most 64 lower-case letters, digits and '-'"
        raise click.BadParameter(message, param_hint="NAME")
    target = SOURCES / "brands" / name
    if target.exists():
        raise click.ClickException(f"{target} exists already; choose another NAME")
    try:
        shutil.copytree(default_kit(), target)
    except OSError as exc:  # a read-only folder, a full disk
        shutil.rmtree(target, ignore_errors=True)
        raise click.ClickException(f"could not write {target}: {exc.strerror or exc}") from None
    brand_file = target / "_brand.yml"
    text = brand_file.read_text(encoding="utf-8").replace(
        "  name: Continuing Education", f"  name: {json.dumps(name)}"
    )
    brand_file.write_text(text, encoding="utf-8")
    click.echo(f"wrote {target}/ (_brand.yml, provider.yml, workshop.yml)")


@brand.command("inspect")
@click.argument("kit")
@click.version_option(__version__, prog_name="workshop")
def brand_inspect(kit: str) -> None:
    """Show KIT (a name under sources/brands/, a folder, or a .pptx): fonts, colors, template.

    Lists the fonts a presenter must install and a corporate template's masters, layouts and
    placeholders.
    """
    from builder.brand import load_brand
    from builder.writers.pptx_inspect import format_inspection, inspect_template

    try:
        if Path(kit).suffix.lower() in (".pptx", ".potx") and Path(kit).is_file():
            click.echo(format_inspection(inspect_template(Path(kit))))
            return
        loaded, _ = load_brand(pipeline.resolve_kit(kit, SOURCES / "brands"))
        _show(list(loaded.warnings))
        click.echo(describe_kit(loaded))
        if loaded.template is not None:
            click.echo(format_inspection(inspect_template(loaded.template)))
    except WorkshopError as exc:
        _show([_as_error(p) for p in exc.problems])
        sys.exit(1)


def describe_kit(brand: Brand) -> str:
    """Return what a provider wants to know of a loaded kit: name, fonts, colors, logo."""
    fonts = [("headings", brand.heading_font), ("base", brand.body_font)]
    fonts += [("monospace", brand.mono_font)] if brand.mono_font else []
    lines = [f"kit: {brand.name} ({brand.root})", "fonts:"]
    lines += [f"  {role}: {f.deck_name} ({_SOURCES[f.source]})" for role, f in fonts if f]
    install = brand.fonts_to_install()
    if install:
        lines.append(
            f"presenters must install: {', '.join(install)} "
            "(the files and licenses are copied beside every deck)"
        )
    else:
        lines.append("presenters install nothing: Arial ships with PowerPoint, Keynote and Slides")
    colors = dataclasses.asdict(brand.colors)
    lines.append("colors: " + ", ".join(f"{k} {v}" for k, v in colors.items()))
    logo = f"{brand.logo.name} ({brand.logo_alt})" if brand.logo else "none"
    lines.append(f"logo: {logo}")
    if brand.template is None:
        lines.append("template: none (the kit names no template in workshop.yml)")
    return "\n".join(lines)


_SOURCES = {
    "metric": "measured and embedded as the metric-compatible Arimo",
    "file": "the kit's font files",
    "package": "an installed fontpkg package",
}
