"""The `workshop` command: a thin Click layer over the pipeline; the only place that prints.

User errors print `error: file:line: field: message` and exit 1; usage errors exit 2.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Literal

import click

from builder import __version__, pipeline
from builder.brand import default_kit
from builder.errors import Problem, WorkshopError
from builder.model import Workshop
from builder.templating import builtin_dir

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
@click.option("--jobs", type=click.IntRange(1, 64), help="Worker processes (default: cores).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.version_option(__version__, prog_name="workshop")
def build(
    outlines: tuple[Path, ...],
    brands: tuple[str, ...],
    formats: tuple[str, ...],
    out: Path,
    templates: Path | None,
    paper: Literal["letter", "a4"] | None,
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
    named = list(brands) != ["default"]
    work = [
        pipeline.Job(o, k, _templates(templates), paper) for o in _outlines(outlines) for k in kits
    ]
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
    if len(work) == 1 or jobs == 1:
        return [pipeline.run(job, formats, out, named, strict) for job in work]
    workers = min(len(work), jobs or os.cpu_count() or 1)
    outcomes: dict[int, pipeline.Outcome] = {}
    with (
        ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool,
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


def _as_error(p: Problem) -> Problem:
    return Problem(p.file, p.line, p.message, p.field, "error")


def _templates(given: Path | None) -> Path | None:
    if given is not None:
        return given
    local = Path("templates")
    return local if local.is_dir() else None


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


@main.group()
def brand() -> None:
    """Create and inspect brand kits."""


@brand.command("new")
@click.argument("name")
@click.version_option(__version__, prog_name="workshop")
def brand_new(name: str) -> None:
    """Scaffold a brand kit in sources/brands/NAME from the built-in neutral kit."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        raise click.BadParameter("expected lower-case letters, digits and '-'", param_hint="NAME")
    target = SOURCES / "brands" / name
    if target.exists():
        raise click.ClickException(f"{target} exists already; choose another NAME")
    shutil.copytree(default_kit(), target)
    brand_file = target / "_brand.yml"
    text = brand_file.read_text(encoding="utf-8").replace(
        "  name: Continuing Education", f"  name: {json.dumps(name)}"
    )
    brand_file.write_text(text, encoding="utf-8")
    click.echo(f"wrote {target}/ (_brand.yml, provider.yml, workshop.yml)")


@brand.command("inspect")
@click.argument("kit", type=click.Path(exists=True, path_type=Path))
@click.version_option(__version__, prog_name="workshop")
def brand_inspect(kit: Path) -> None:
    """List the masters, layouts and placeholders of KIT's corporate template (or a .pptx)."""
    from builder.brand import load_brand
    from builder.writers.pptx_template import format_inspection, inspect_template

    try:
        if kit.is_dir():
            loaded, _ = load_brand(kit)
            if loaded.template is None:
                raise click.ClickException(f"{kit}: the kit names no template in workshop.yml")
            path = loaded.template
        else:
            path = kit
        click.echo(format_inspection(inspect_template(path)))
    except WorkshopError as exc:
        _show([_as_error(p) for p in exc.problems])
        sys.exit(1)
