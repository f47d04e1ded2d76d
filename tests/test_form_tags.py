"""Accessible by construction (issue 13): evaluation.pdf, sign-in.pdf and the certificates are
tagged PDF/UA-1 under every example kit.

Each PDF is validated with page-validation's UA-1 profile, and its structure is read back and
asserted, since a crude PDF with one tag a page passes the validator too: nothing drawn
untagged, headings in order, tables tagged as tables (TH with scopes), every Form element
holding exactly one widget, every widget with an accessible name (/TU), every Figure with
alt text, and the text in structure order following the document. Negative controls: a
widget without /TU and a PDF without its structure tree are caught.
"""

from __future__ import annotations

import functools
import io
import itertools
import shutil
import subprocess
from pathlib import Path

import page
import pikepdf
import pytest
from click.testing import CliRunner

from builder import pipeline
from builder.cli import main
from builder.writers.evaluation import objective_clause
from tests.conftest import EXAMPLE_KITS
from tests.pdf_tags_read import Element, read_tree, untagged_chars

ROOT = Path(__file__).parent.parent
SHIPPED = ROOT / "sources" / "therapeutic-crying.yaml"
KITS = EXAMPLE_KITS
EPOCH = "1805000000"
NAMES = [f"Attendee Número {i:02d}" for i in range(1, 41)]  # two pages of sign-in rows
ATTENDEES = [  # name, license: one without a license, one with accents
    ("Ada Lovelace", "LCSW 10234"),
    ("Zoë Ångström-Müller", ""),
    ("Grace Hopper", "LMFT 77"),
]


@pytest.fixture(scope="module")
def tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("form-tags")


@functools.cache
def _forms(kit: str, roster: Path | None = None) -> dict[str, bytes]:
    job = pipeline.Job(SHIPPED, KITS[kit], roster=roster)
    return pipeline.produce(job, ["evaluation", "sign-in"])[1]


def _roster(tmp: Path) -> Path:
    path = tmp / "registered.csv"
    path.write_text("Name\n" + "\n".join(NAMES) + "\n", encoding="utf-8")
    return path


def _signed_kit(kit: str, tmp: Path) -> Path:
    """Return the kit, or for the default kit (no administrator) a copy that can sign."""
    given = KITS[kit]
    if given is not None:
        return given
    copy = Path(shutil.copytree(ROOT / "builder" / "brands" / "default", tmp / "signed"))
    shutil.copy(ROOT / "sources" / "brands" / "northwind" / "signature.png", copy)
    with open(copy / "provider.yml", "a", encoding="utf-8") as out:
        out.write("administrator:\n  name: Ida Signer, PhD\n  title: CE Director\n")
        out.write("  signature: signature.png\n")
    return copy


@functools.cache
def _certificates(kit: str, tmp: Path) -> Path:
    """Return the folder of certificates issued to ATTENDEES under kit."""
    roster = tmp / "attendees.csv"
    rows = [f"{name},a{i}@example.org,{lic},240,yes" for i, (name, lic) in enumerate(ATTENDEES)]
    head = "Name,E-mail,License,Attended minutes,Evaluation completed\n"
    roster.write_text(head + "\n".join(rows) + "\n", encoding="utf-8")
    out = tmp / f"certificates-{kit}"
    args = ["certificates", str(SHIPPED), str(roster), "--out", str(out), "--jobs", "1"]
    args += ["--brand", str(_signed_kit(kit, tmp))]
    result = CliRunner(env={"SOURCE_DATE_EPOCH": EPOCH}).invoke(main, args)
    assert result.exit_code == 0, result.output
    return out


def _pdfs(kit: str, tmp: Path) -> dict[str, Path]:
    """Return every PDF of this issue under kit, by a name for the test's id."""
    paths: dict[str, Path] = {}
    for label, roster in (("", None), ("roster-", _roster(tmp))):
        for name, data in _forms(kit, roster).items():
            if label and name != "sign-in.pdf":
                continue
            paths[label + name] = tmp / f"{kit}-{label}{name}"
            paths[label + name].write_bytes(data)
    for path in sorted(_certificates(kit, tmp).glob("*.pdf")):
        paths[path.name] = path
    return paths


def _failures(data: bytes) -> list[str]:
    report = page.validate_pdf_bytes(data, profile="ua1")
    return sorted({f"{f.rule_id}: {f.message}" for f in report.failures})


def _headings(tree: Element) -> list[int]:
    return [int(e.role[1]) for e in tree.walk() if e.role in ("H1", "H2", "H3")]


def _widgets(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    return [a for p in pdf.pages for a in p.get("/Annots", []) if a.get("/Subtype") == "/Widget"]


def _unnamed(data: bytes) -> list[str]:
    """Return the widgets (by field name) without an accessible name, theirs or their field's."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [
            str(w.get("/T", w.get("/Parent", {}).get("/T", "?")))
            for w in _widgets(pdf)
            if not str(w.get("/TU", "")).strip()
        ]


def _bare(text: str) -> str:
    return "".join(text.split()).replace("-", "")


def _in_order(text: str, parts: list[str]) -> None:
    """Assert that parts occur in text one after another (spaces and hyphens aside: the text
    read back joins a paragraph's lines without a space, and keeps hyphenation's hyphens)."""
    text, at = _bare(text), 0
    for part in map(_bare, parts):
        found = text.find(part, at)
        assert found >= 0, f"{part!r} missing, or before {text[max(at - 60, 0) : at]!r}"
        at = found + len(part)


@pytest.mark.parametrize("kit", list(KITS))
def test_every_form_and_certificate_passes_pdf_ua_1_and_draws_nothing_untagged(
    kit: str, tmp: Path
) -> None:
    paths = _pdfs(kit, tmp)
    assert {"evaluation.pdf", "sign-in.pdf", "roster-sign-in.pdf", "certificates.pdf"} <= set(paths)
    assert len(paths) == 4 + len(ATTENDEES)  # one file per attendee
    failures = {name: _failures(path.read_bytes()) for name, path in paths.items()}
    assert failures == {name: [] for name in paths}
    assert {name: untagged_chars(path) for name, path in paths.items()} == {n: [] for n in paths}


@pytest.mark.parametrize("kit", list(KITS))
def test_headings_start_at_h1_and_never_skip_a_level(kit: str, tmp: Path) -> None:
    for name, path in _pdfs(kit, tmp).items():
        levels = _headings(read_tree(path))
        assert levels and levels[0] == 1, name
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), (name, levels)


def test_the_evaluation_is_headings_paragraphs_tables_and_fields_in_the_forms_order(
    tmp: Path,
) -> None:
    tree = read_tree(_pdfs("northwind", tmp)["evaluation.pdf"])
    loaded = pipeline.load(pipeline.Job(SHIPPED, KITS["northwind"]))
    roles = [e.role for e in tree.kids]
    assert roles[:2] == ["H1", "P"] and roles.count("Table") == 3 and "Form" in roles
    objectives = [
        o.evaluation or objective_clause(o.text, "en") for o in loaded.workshop.objectives
    ]
    _in_order(tree.all_text(), ["Program evaluation", "Learning objectives", *objectives])
    _in_order(tree.all_text(), ["Learning objectives", "The program", "Your comments"])


def test_a_rating_grid_is_a_table_whose_items_head_their_rows(tmp: Path) -> None:
    tree = read_tree(_pdfs("harborlight", tmp)["evaluation.pdf"])
    grid = [e for e in tree.kids if e.role == "Table"][1]
    head, *rows = grid.kids
    assert {(c.role, c.scope) for c in head.kids} == {("TH", "Column")}
    assert [c.text[0] for c in head.kids[1:]] == ["5", "4", "3", "2", "1"]
    assert rows and all(r.role == "TR" for r in rows)
    for row in rows:
        first, *cells = row.kids
        assert (first.role, first.scope) == ("TH", "Row") and first.text
        assert [c.role for c in cells] == ["TD"] * 5
        assert all([k.role for k in c.kids] == ["Form"] for c in cells)


@pytest.mark.parametrize("kit", list(KITS))
def test_every_form_element_holds_one_widget_and_every_widget_has_a_name(
    kit: str, tmp: Path
) -> None:
    path = _pdfs(kit, tmp)["evaluation.pdf"]
    forms = [e for e in read_tree(path).walk() if e.role == "Form"]
    with pikepdf.open(path) as pdf:
        widgets = _widgets(pdf)
        assert len(forms) == len(widgets) > 30
        assert all(e.annots == 1 and not e.kids and not e.text and e.alt for e in forms)
        assert all("/StructParent" in w for w in widgets)
        radio = next(w for w in widgets if "/Parent" in w)
        question = str(radio.Parent.TU)
        assert str(radio.TU) == f"{question}: 5 Strongly agree" and question.startswith("I am able")
    assert _unnamed(path.read_bytes()) == []


def test_a_widget_without_a_name_is_caught() -> None:
    """Negative control: page-validation passes a field without /TU; our check does not."""
    with pikepdf.open(io.BytesIO(_forms("default")["evaluation.pdf"])) as pdf:
        del _widgets(pdf)[0].TU
        out = io.BytesIO()
        pdf.save(out)
    assert _unnamed(out.getvalue()) == ["text_1"]


@pytest.mark.parametrize("name", ["evaluation.pdf", "certificates.pdf"])
def test_a_pdf_without_its_structure_tree_fails_the_validator(name: str, tmp: Path) -> None:
    with pikepdf.open(_pdfs("northwind", tmp)[name]) as pdf:
        del pdf.Root.StructTreeRoot
        out = io.BytesIO()
        pdf.save(out)
    assert any("STRUCT-TREE" in f or "TAGGED" in f for f in _failures(out.getvalue()))


def test_a_sign_in_sheet_is_one_table_over_its_pages_in_the_rosters_order(tmp: Path) -> None:
    path = _pdfs("default", tmp)["roster-sign-in.pdf"]
    tree = read_tree(path)
    with pikepdf.open(path) as pdf:
        assert len(pdf.pages) >= 2  # the header row repeats: as an artifact, not as a row
    tables = [e for e in tree.kids if e.role == "Table"]
    assert len(tables) == 1 and [e.role for e in tree.kids[:1]] == ["H1"]
    head, *rows = tables[0].kids
    assert {(c.role, c.scope) for c in head.kids} == {("TH", "Column")}
    assert head.kids[1].text.startswith("Name") and len(rows) >= len(NAMES)
    assert all({c.role for c in r.kids} == {"TD"} for r in rows)
    assert [r.kids[1].text for r in rows[: len(NAMES)]] == NAMES
    assert [r.kids[0].text for r in rows[:3]] == ["1", "2", "3"]


@pytest.mark.parametrize("kit", list(KITS))
def test_a_certificate_page_is_a_sect_read_in_its_order(kit: str, tmp: Path) -> None:
    tree = read_tree(_pdfs(kit, tmp)["certificates.pdf"])
    assert [e.role for e in tree.kids] == ["Sect"] * len(ATTENDEES)
    for sect, (name, license_) in zip(tree.kids, ATTENDEES, strict=True):
        roles = [e.role for e in sect.kids]
        assert roles[:6] == ["H1", "P", "P", "P", "H2", "P"] and roles[6] == "Table"
        assert sect.kids[2].text.startswith(name) and (license_ in sect.kids[2].text)
        table = sect.kids[6]
        assert [(c.role, c.scope) for c in table.kids[0].kids] == [("TH", "Column")] * 4
        assert all([c.role for c in row.kids] == ["TD"] * 4 for row in table.kids[1:])
        figure = next(e for e in sect.kids if e.role == "Figure")
        signatory = sect.kids[sect.kids.index(figure) + 1].text
        assert figure.alt == f"Signature: {signatory}" and signatory
        _in_order(
            sect.all_text(),
            ["Certificate of Attendance", name, "Therapeutic Crying in Psychotherapy",
             "Accrediting body", "Credits", signatory, "Certificate ID", "Date of issue"],
        )  # fmt: skip


@pytest.mark.parametrize("kit", list(KITS))
def test_every_figure_has_alt_text(kit: str, tmp: Path) -> None:
    for name, path in _pdfs(kit, tmp).items():
        figures = [e for e in read_tree(path).walk() if e.role == "Figure"]
        assert all(f.alt for f in figures), name


def test_the_forms_are_byte_identical_between_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    job = pipeline.Job(SHIPPED, KITS["harborlight"])
    first = pipeline.produce(job, ["evaluation", "sign-in"])[1]
    assert pipeline.produce(job, ["evaluation", "sign-in"])[1] == first


def _operators(stream: pikepdf.Object) -> list[tuple[str, list[object]]]:
    return [(str(op), list(operands)) for operands, op in pikepdf.parse_content_stream(stream)]


@pytest.mark.parametrize("kit", list(KITS))
def test_certificate_pages_paint_one_template_stream_then_their_own(kit: str, tmp: Path) -> None:
    """What every page shows is one stream (its MCIDs first), then the page's own; each is
    q/Q balanced, and every resource either uses is named in the page's resources."""
    with pikepdf.open(_pdfs(kit, tmp)["certificates.pdf"]) as pdf:
        templates = set()
        for page in pdf.pages:
            template, own = page.obj.Contents
            templates.add(template.objgen)
            resources = page.obj.Resources
            mcids: list[list[int]] = []
            for stream in (template, own):
                operators = _operators(stream)
                depth = list(
                    itertools.accumulate({"q": 1, "Q": -1}.get(op, 0) for op, _ in operators)
                )
                assert min(depth) >= 0 and depth[-1] == 0
                mcids.append(
                    [int(o[1].MCID) for op, o in operators if op == "BDC" and "/MCID" in o[1]]
                )
                for op, operands in operators:
                    kind = {"gs": "/ExtGState", "Do": "/XObject", "Tf": "/Font"}.get(op)
                    assert kind is None or str(operands[0]) in resources[kind], (op, operands)
            parents = pdf.Root.StructTreeRoot.ParentTree.Nums[2 * page.obj.StructParents + 1]
            assert all(mcids) and mcids[0] + mcids[1] == list(range(len(parents)))
        assert len(templates) == 1  # a part of certificates draws it once
        assert own.objgen not in templates


@pytest.mark.parametrize("kit", list(KITS))
def test_the_draft_mark_is_faint(kit: str, tmp: Path) -> None:
    """The DRAFT mark's transparency is in the page's resources (poppler drew it solid when
    it was not)."""
    with pikepdf.open(_pdfs(kit, tmp)["certificates.pdf"]) as pdf:
        page = pdf.pages[0].obj
        states = [o[0] for op, o in _operators(page.Contents[0]) if op == "gs"]
        assert states, "the shipped outline has placeholders: its certificates say DRAFT"
        assert all(float(page.Resources.ExtGState[s].ca) < 0.5 for s in states)


@pytest.mark.client
def test_poppler_draws_a_certificate_without_an_error(tmp: Path) -> None:
    path = _pdfs("northwind", tmp)["certificates.pdf"]
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "poppler is missing: run scripts/install-clients.sh"
    args = [pdftoppm, "-png", "-r", "20", "-f", "1", "-l", "1", str(path), str(tmp / "page")]
    drawn = subprocess.run(args, capture_output=True, text=True, check=True)
    assert drawn.stderr == ""
