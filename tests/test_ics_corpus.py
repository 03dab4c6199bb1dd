"""Every calendar file, ours and the public corpus, imports or is refused in words.

Two sets of files are fed to ``import-ics``:

- ``tests/fixtures/ics_own/``: small files of our own making, each with the structure a
  real program's file had when the import first had a problem with it (its README says which
  program each imitates). Always run.
- The public corpus: 212 files written by Thunderbird, Google, Outlook and Exchange,
  Apple, Evolution, Lotus Notes, khal, calcurse and others, and some deliberately broken
  ones from calendar libraries' tests. It is fetched data, kept outside the repository
  (docs/TEST_DATA.md says where it comes from): looked for in ``$VRU_CRM_ICS_CORPUS``,
  else ``<repo>/../shared/fixtures/ics_corpus``, else ``tests/fixtures/ics_corpus`` (a
  local copy that git ignores). When the variable is set it alone counts, and a folder
  without .ics files counts as absent: the corpus tests are then skipped with a reason.

Such files once gave ``import-ics`` tracebacks, raw Python warnings and
whole files refused for one event; here each is read as ``import-ics --dry-run
--skip-invalid`` reads it, and the outcome must be one a person can act on: meetings
that would be imported, or the file refused with a sentence. Never a traceback, never
a warning printed raw.

Dry runs write nothing, so one SQLite database serves the whole module. Series are
expanded from a fixed today with at most 40 dates each, so the test takes the same
time (seconds) and gives the same outcome whatever the date.
"""

import os
import re
import warnings
from datetime import date
from pathlib import Path

import pytest

from db.migrate import upgrade
from db.session import Database
from vru_crm.errors import UserError
from vru_crm.governance.ics_import import import_calendar
from vru_crm.governance.ics_series import Window

REPO = Path(__file__).resolve().parent.parent
OWN = Path(__file__).parent / "fixtures" / "ics_own"
OWN_FILES = sorted(OWN.glob("*.ics"))
WINDOW = Window(today=date(2025, 1, 1), limit=40)
# What a message in words never holds: Python's own names for what went wrong.
NOT_WORDS = re.compile(r"Traceback|NoneType|object has no attribute|\b[A-Z]\w*(Error|Exception)\b")
NO_CORPUS = (
    "the public calendar corpus is fetched data kept outside the repository; set "
    "VRU_CRM_ICS_CORPUS to its folder (docs/TEST_DATA.md)"
)


def _corpus_folder() -> Path | None:
    """Where the public corpus is: the variable if set (alone), else shared/, else the
    local copy; a folder without .ics files is no corpus."""

    def usable(folder: Path) -> bool:
        return folder.is_dir() and next(folder.rglob("*.ics"), None) is not None

    if "VRU_CRM_ICS_CORPUS" in os.environ:
        named = os.environ["VRU_CRM_ICS_CORPUS"].strip()
        return Path(named) if named and usable(Path(named)) else None
    candidates = (
        REPO.parent / "shared" / "fixtures" / "ics_corpus",
        REPO / "tests" / "fixtures" / "ics_corpus",
    )
    return next((folder for folder in candidates if usable(folder)), None)


CORPUS = _corpus_folder()
CORPUS_FILES = sorted(CORPUS.rglob("*.ics")) if CORPUS else []
needs_corpus = pytest.mark.skipif(CORPUS is None, reason=NO_CORPUS)


def _params(corpus_paths: list[Path]) -> list:
    """Our own files always; the corpus's when it is there, else one skipped placeholder."""
    own = [pytest.param(p, id=f"own/{p.name}") for p in OWN_FILES]
    if CORPUS is None:
        return [*own, pytest.param(None, id="corpus", marks=needs_corpus)]
    return own + [pytest.param(p, id=f"corpus/{p.relative_to(CORPUS)}") for p in corpus_paths]


def _written_by_a_program(path: Path) -> bool:
    return re.search(rb"(?im)^PRODID[;:]", path.read_bytes()) is not None


def test_our_own_files_are_there_and_small():
    assert len(OWN_FILES) >= 10
    assert all(_written_by_a_program(p) for p in OWN_FILES)
    assert all(p.stat().st_size < 4_000 for p in OWN_FILES)
    readme = (OWN / "README.md").read_text(encoding="utf-8")
    assert [p.name for p in OWN_FILES if f"`{p.name}`" not in readme] == []


@needs_corpus
def test_the_corpus_has_at_least_100_files_from_several_programs():
    programs = [p for p in CORPUS_FILES if _written_by_a_program(p)]
    assert len(programs) >= 100
    assert len({p.parent.name for p in CORPUS_FILES}) >= 8  # sources
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    missing = [
        str(p.relative_to(CORPUS))
        for p in CORPUS_FILES
        if f"| {p.relative_to(CORPUS)} |" not in readme
    ]
    assert missing == []  # every file says where it came from
    assert sum(p.stat().st_size for p in CORPUS_FILES) < 5_000_000


@pytest.fixture(scope="module")
def corpus_database(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('corpus') / 'vru.sqlite3'}"
    database = Database(url, username="tester")
    upgrade(database, backup=False)
    yield database
    database.dispose()


@pytest.mark.parametrize("path", _params(CORPUS_FILES))
def test_each_file_imports_or_is_refused_in_words(corpus_database, path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            report = import_calendar(
                corpus_database, path, dry_run=True, window=WINDOW, skip_invalid=True
            )
        except UserError as refused:  # exit 1, the message on stderr
            message = str(refused)
            assert message.strip() and not NOT_WORDS.search(message), message
            assert message.splitlines()[0].endswith((".", ":")), message
        else:  # exit 0, or 1 with the events not imported listed in words
            summary = report.summary()
            made = len(report.created) + len(report.updated) + len(report.unchanged)
            assert made + report.not_added + len(report.skipped) > 0 or report.series, summary
            assert summary.startswith("Meetings would be: ")
            assert not NOT_WORDS.search(summary), summary
    raw = [str(w.message) for w in caught if not issubclass(w.category, ResourceWarning)]
    assert raw == []


# The public files that once ended in a traceback or a raw warning (each has an own
# imitation in ics_own/, run above and below whatever the corpus).
ONCE_BROKEN = [
    "ical4j/evolution.ics",  # Evolution's TZID: once a raw GloballyUniqueTZIDGuessed
    "ical4j/bhav23-2.ics",  # a line that cannot be split: once a traceback
    "icalendar/america_new_york_forward_reference.ics",  # two DTSTART lines: likewise
    "khal/event_dt_multi_uid.ics",  # a UID used twice: one event not imported
    "thunderbird/import.ics",  # Thunderbird's events without UID
]


@pytest.mark.parametrize("path", _params([CORPUS / name for name in ONCE_BROKEN] if CORPUS else []))
def test_the_command_line_prints_words_never_a_traceback_or_a_warning(database, path, capsys):
    from vru_crm.cli.main import main

    status = main(["import-ics", str(path), "--dry-run", "--skip-invalid", "--db", database.url])
    out, err = capsys.readouterr()
    assert status in (0, 1)
    assert "Traceback" not in out + err and "Warning" not in err
    assert ("Meetings would be:" in out) or (status == 1 and err.startswith("vru-crm: "))
