"""Finding existing records by the names people type in a file.

An import row says 'Hackney CVS', not an id. A name matches in any case and
spacing, then ignoring punctuation and words like 'The' or 'Ltd'; a name that
matches nothing gets the closest existing name as a suggestion, and a name that
matches several records is refused rather than guessed.
"""

import difflib
from collections.abc import Iterable, Iterator

from vru_crm.validation import normalise_name, short_value

_SUGGESTION_CUTOFF = 0.8


def saved(rows: Iterable[tuple[int | None, str]]) -> Iterator[tuple[int, str]]:
    """(id, name) rows read from a table: each has its id (None is only for unsaved records)."""
    for record_id, name in rows:
        if record_id is not None:
            yield record_id, name


class NameLookup:
    """Ids of records (organisations, people, networks) by name, built once per import."""

    def __init__(
        self, what: str, entries: Iterable[tuple[int, str]], hint: str = "", plural: str = ""
    ) -> None:
        self.what = what
        self.plural = plural or what + "s"
        self.hint = hint
        self._exact: dict[str, set[int]] = {}
        self._loose: dict[str, set[int]] = {}
        self._names: dict[str, str] = {}
        for record_id, name in entries:
            self.add(record_id, name)

    def add(self, record_id: int, name: str, key: str | None = None) -> None:
        """Register a name (or another key, such as an e-mail address) for a record."""
        text = key if key is not None else name
        self._exact.setdefault(" ".join(text.casefold().split()), set()).add(record_id)
        loose = normalise_name(text)
        if loose:
            self._loose.setdefault(loose, set()).add(record_id)
            self._names.setdefault(loose, name)

    def find(self, text: str) -> tuple[int | None, str | None]:
        """The record's id, or None and a problem in plain words."""
        ids = self._exact.get(" ".join(text.casefold().split())) or self._loose.get(
            normalise_name(text)
        )
        if ids and len(ids) == 1:
            return next(iter(ids)), None
        if ids:
            return None, (
                f"{len(ids)} {self.plural} are called '{short_value(text)}': rename one of them first{self.hint}"
            )
        return None, self._not_found(text)

    def _not_found(self, text: str) -> str:
        close = difflib.get_close_matches(
            normalise_name(text), list(self._names), n=1, cutoff=_SUGGESTION_CUTOFF
        )
        suggestion = f" Did you mean '{self._names[close[0]]}'?" if close else ""
        return f"there is no {self.what} called '{short_value(text)}'.{suggestion}"
