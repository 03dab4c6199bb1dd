"""What an import found and did, as data (for the Qt dialog) and as lines (for the terminal)."""

from dataclasses import dataclass, field
from pathlib import Path

MAX_LISTED_PROBLEMS = 50


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column '{self.column}': {self.message}"


@dataclass
class ImportReport:
    file_name: str
    kind: str
    total: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    imported: int = 0
    dry_run: bool = False
    skip_invalid: bool = False
    cancelled: bool = False
    rejected_path: Path | None = None
    # The ids of the records written, so an import can be undone (``vru_crm.io.undo``).
    ids: list[int] = field(default_factory=list)

    @property
    def rows_with_problems(self) -> int:
        return len({p.row for p in self.problems})

    @property
    def valid(self) -> int:
        return self.total - self.rows_with_problems

    @property
    def ok(self) -> bool:
        """True when every row was good and nothing was cancelled."""
        return not self.problems and not self.cancelled

    def lines(self) -> list[str]:
        lines = [
            f"{self.file_name}: {_count(self.total, 'row')}, {self.valid} valid, "
            f"{self.rows_with_problems} with problems"
        ]
        lines += [f"  {note}" for note in self.notes]
        lines += [f"  {problem}" for problem in self.problems[:MAX_LISTED_PROBLEMS]]
        if len(self.problems) > MAX_LISTED_PROBLEMS:
            lines.append(f"  ... and {len(self.problems) - MAX_LISTED_PROBLEMS:,} more problems")
        lines.append(self._outcome())
        return lines

    def _outcome(self) -> str:
        if self.cancelled:
            return "Import cancelled: nothing was imported."
        if self.dry_run:
            would = self.valid if (self.skip_invalid or not self.problems) else 0
            return f"Dry run: nothing was written. {_count(would, self.kind)} would be imported."
        if self.problems and not self.skip_invalid:
            return (
                "Nothing was imported: fix the rows above, or use --skip-invalid to import the "
                f"{_count(self.valid, 'valid row')}."
            )
        done = f"Imported {_count(self.imported, self.kind)}."
        if self.rejected_path is not None:
            rejected = self.rows_with_problems
            verb = "is" if rejected == 1 else "are"
            done += f" The {_count(rejected, 'rejected row')}, with the reason, {verb} in {self.rejected_path}."
        return done


def _count(number: int, noun: str) -> str:
    """'1 row', '2 rows', '1 organisations' -> '1 organisation'."""
    singular = noun[:-1] if noun.endswith("s") and noun != "people" else noun
    if noun == "people":
        singular = "person"
    if number == 1:
        return f"1 {singular}"
    plural = noun if noun.endswith("s") or noun == "people" else noun + "s"
    return f"{number:,} {plural}"
