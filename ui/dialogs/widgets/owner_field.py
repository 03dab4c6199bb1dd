"""Who owns an action: a person or a team found by typing, never free text.

Suggestions come from ``actions.owner_choices`` as the user types (people, and
organisations or teams, marked "(team)"), read on the thread pool so a keystroke
never waits for the database; Down/Enter takes one. ``owner()`` is
the record chosen, or None when the text names nobody in the database, and
``problem()`` says so in words with the closest names.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit, QVBoxLayout, QWidget

from ui.models.loader import Loader


def owner_label(owner) -> str:
    return owner.name if owner.kind == "person" else f"{owner.name} (team)"


def _owners_for(database, typed: str) -> tuple[str, list[object]]:
    """Runs on the thread pool: the people and teams closest to what is typed."""
    from vru_crm.governance.actions import owner_choices

    return typed, list(owner_choices(database, typed))


class OwnerField(QWidget):
    """A single owner picked by type-ahead; ``changed`` fires when the text or choice changes."""

    changed = Signal()

    def __init__(self, database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self._choices: dict[str, object] = {}  # label (casefolded) -> Owner
        self._others: list[object] = []  # the suggestions for the text typed
        self._kept_text: str | None = None  # an old free-text owner, kept while unchanged
        self.edit = QLineEdit(self)
        self.edit.setAccessibleName("Owner")
        self.edit.setPlaceholderText("Type a person's or a team's name…")
        self.edit.setToolTip("Type part of a name; Down and Enter take a suggestion.")
        self._model = QStandardItemModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setMaxVisibleItems(12)
        self.edit.setCompleter(self._completer)
        self.edit.textEdited.connect(self._suggest)
        self._loader = Loader(self)  # the suggestions are read on the thread pool
        self._loader.loaded.connect(self._suggested)
        self.edit.textChanged.connect(lambda _t: self.changed.emit())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)
        # A label's mnemonic (Alt+letter) focuses only a widget that takes focus; Tab skips
        # a proxied widget, so this adds no stop of its own.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def _suggest(self, text: str) -> None:
        typed = text.strip()
        if not typed:
            self._loader.cancel()
            self._suggested((typed, []))
            return
        self._loader.load(_owners_for, self.database, typed)

    def _suggested(self, answer: tuple[str, list[object]]) -> None:
        """The owners found for a text typed (on the GUI thread); stale answers are dropped."""
        typed, found = answer
        if typed != self.edit.text().strip():
            return
        self._remember(found)
        self._others = list(found)
        self._model.clear()
        for owner in found:
            self._model.appendRow(QStandardItem(owner_label(owner)))
        if found:
            self._completer.complete()

    def _remember(self, owners) -> None:
        for owner in owners:
            self._choices[owner_label(owner).casefold()] = owner

    # -- the choice ----------------------------------------------------------------
    def text(self) -> str:
        return self.edit.text()

    def owner(self):
        """The chosen Owner: the label typed or taken exactly, else a unique name match."""
        typed = self.edit.text().strip().casefold()
        if not typed:
            return None
        if typed in self._choices:
            return self._choices[typed]
        by_name = [o for o in self._choices.values() if o.name.casefold() == typed]  # type: ignore[attr-defined]
        return by_name[0] if len(by_name) == 1 else None

    def set_owner(self, owner) -> None:
        self._kept_text = None
        if owner is None:
            self.edit.clear()
            return
        self._remember([owner])
        self.edit.setText(owner_label(owner))

    def keep_text(self, text: str) -> None:
        """An action from before owners were records: its owner text stays valid while unchanged."""
        self._kept_text = text
        self.edit.setText(text)

    def kept(self) -> bool:
        return self._kept_text is not None and self.edit.text() == self._kept_text

    def problem(self) -> str:
        text = self.edit.text().strip()
        if not text:
            return "choose who owns this action: a person or a team"
        if self.owner() is not None or self.kept():
            return ""
        if self._others:
            close = ", ".join(owner_label(o) for o in self._others[:3])
            return f"choose one of the names found for “{text}”: {close}"
        return (
            f"nobody called “{text}” is in the database: pick a person or a team "
            "from the list as you type"
        )
