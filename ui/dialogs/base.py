"""What every record form shares: validate as you type, save that never loses text, Esc asks.

A form subclass builds its fields, registers an ``InlineError`` per field with
``self.errors[name]``, and implements:

- ``problems()``: {field: problem} computed from the widgets (no database);
- ``values()``: a comparable snapshot of what the user typed (for "unsaved changes");
- ``save_record()``: reads the widgets and hands the service calls to ``run_save``,
  which runs them on the thread pool with the form held ("Saving…"), then finishes on
  the GUI thread (the undo entry, the data event, closing); a failure keeps the form
  open with what was typed and the reason in words;
- ``read_record()`` (on the thread pool, no widgets) and ``record_values(record)`` (on
  the GUI thread) for an existing record, ``read_choices()``/``show_choices()`` for its
  lists: the form opens at once and nothing reads the database on the GUI thread
  (``load_existing_later``, ``load_choices_later``, Reload after a conflict).

The base class shows problems next to their fields (only for fields the user
has touched, plus all of them after a save attempt), keeps Save disabled while
any remain, and turns every failure of ``save_record`` into words in a banner
at the top of the dialog: the dialog stays open with everything typed.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.dialogs.widgets.error_label import InlineError

log = logging.getLogger(__name__)
SAVING_SOON = "Saving as soon as the form has finished loading…"
SAVING = "Saving…"


def _nothing() -> None:
    """What is left to do once a record has been shown (nothing)."""


def _call_weakly(form: weakref.ref, method: str) -> object:
    """On the pool: ``form``'s read by a weak reference.

    A finished job is freed only by Python's cycle collector, and with the form in
    its arguments it kept a closed form alive until then; a form closed before its
    read starts is not read at all.
    """
    alive = form()
    return None if alive is None else getattr(alive, method)()


def ask(
    parent: QWidget | None, title: str, text: str, buttons: list[str], default: int = 0
) -> str | None:
    """A modal question with buttons in words; returns the text of the one pressed (None on Esc)."""
    box = QMessageBox(parent)
    box.setWindowTitle(title)
    box.setText(text)
    box.setIcon(QMessageBox.Icon.Question)
    made = []
    for i, label in enumerate(buttons):
        role = (
            QMessageBox.ButtonRole.RejectRole
            if i == len(buttons) - 1
            else QMessageBox.ButtonRole.AcceptRole
        )
        made.append(box.addButton(label, role))
    box.setDefaultButton(made[default])
    box.setEscapeButton(made[-1])
    box.exec()
    clicked = box.clickedButton()
    return clicked.text().replace("&", "") if clicked is not None else None


def _is_tab_stop(widget: QWidget) -> bool:
    policy = widget.focusPolicy()
    return (
        widget.isVisible()
        and widget.isEnabled()
        and (policy & Qt.FocusPolicy.TabFocus) == Qt.FocusPolicy.TabFocus
    )


def fit_to_screen(window: QWidget) -> None:
    """Keep a window within the screen it opens on, buttons included.

    A form sized for a desktop (760 x 660) is taller than a laptop at 200 % offers
    (960 x 540), and the window manager then cuts off its bottom: Save is out of reach.
    It shrinks to the room there is (never below its minimum) and moves back on screen.
    """
    screen = window.screen()
    if screen is None:
        return
    room = screen.availableGeometry()
    frame = window.frameGeometry()
    extra_w = max(0, frame.width() - window.width())
    extra_h = max(0, frame.height() - window.height()) or 32  # title bar, not yet drawn
    least = window.minimumSizeHint()
    width = max(least.width(), min(window.width(), room.width() - extra_w))
    height = max(least.height(), min(window.height(), room.height() - extra_h))
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    x = min(max(frame.x(), room.left()), max(room.left(), room.right() - width - extra_w))
    y = min(max(frame.y(), room.top()), max(room.top(), room.bottom() - height - extra_h))
    if (x, y) != (frame.x(), frame.y()):
        window.move(x, y)


class Banner(QWidget):
    """A message across the top of a form (save failed, record changed elsewhere), with actions."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Message")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._buttons = QHBoxLayout()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.label, 1)
        layout.addLayout(self._buttons)
        self.setAutoFillBackground(True)
        self.setObjectName("banner")
        self.setStyleSheet("#banner { border: 1px solid palette(mid); border-radius: 4px; }")
        self.hide()

    def show_message(
        self, text: str, actions: list[tuple[str, Callable[[], None]]] | None = None
    ) -> None:
        while self._buttons.count():
            item = self._buttons.takeAt(0)
            if item.widget():
                item.widget().hide()  # gone at once, not when the event loop next deletes
                item.widget().deleteLater()
        for label, slot in actions or []:
            button = QPushButton(label, self)
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            self._buttons.addWidget(button)
        self.label.setText(text)
        self.show()

    def clear(self) -> None:
        self.label.clear()
        self.hide()


class FormDialog(QDialog):
    """Base of the record forms: see the module docstring."""

    field_labels: dict[str, str] = {}
    # The stored record is shown (or could not be read: the banner says why).
    record_ready = Signal()

    def __init__(self, database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self._holding = False  # the stored record is being read on the pool, the form held
        self._reading = 0  # reads on the pool that Save waits for (lists, a cadence's date)
        self._when_read: Callable[[], None] | None = None  # a save asked for during those reads
        self._held_disabled: list[QWidget] = []
        self.errors: dict[str, InlineError] = {}
        self._touched: set[str] = set()
        self._save_attempted = False
        self._loaded_values: dict[str, object] = {}
        self._unusable = False  # the record could not be loaded
        self._saving: str | None = None  # what the form says while a save runs on the pool
        self._focus_before_save: QWidget | None = None
        self.banner = Banner(self)
        self.body = QVBoxLayout()
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton("&Save", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setDefault(True)
        self.save_button.setAccessibleName("Save")
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.attempt_save)
        self.buttons.rejected.connect(self.reject)
        self.hint = QLabel(self)
        self.hint.setAccessibleName("What is missing")
        self.hint.setWordWrap(True)
        self.footer = QHBoxLayout()
        self.footer.addWidget(self.hint, 1)
        self.footer.addWidget(self.buttons)
        outer = QVBoxLayout(self)
        outer.addWidget(self.banner)
        outer.addLayout(self.body, 1)
        outer.addLayout(self.footer)
        for keys in (
            QKeySequence.StandardKey.Save,
            QKeySequence("Ctrl+Return"),
            QKeySequence("Ctrl+Enter"),  # the Enter of the number pad
        ):
            shortcut = QShortcut(keys, self)
            shortcut.activated.connect(self.attempt_save)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        fit_to_screen(self)

    @property
    def loading(self) -> bool:
        """Something the form shows is still being read on the pool: Save waits for it."""
        return self._holding or self._reading > 0

    def begin_read(self) -> None:
        """A read on the pool that a save waits for, without holding the whole form.

        The fields stay usable; a save asked for meanwhile (Enter, Ctrl+S) runs as soon
        as the last such read has arrived (``save_when_read``), so no keystroke is lost.
        """
        self._reading += 1
        self.revalidate()

    def end_read(self) -> None:
        self._reading = max(0, self._reading - 1)
        self.revalidate()
        if not self._reading and self._when_read is not None:
            action, self._when_read = self._when_read, None
            action()

    def save_when_read(self, action: Callable[[], None]) -> bool:
        """True if ``action`` (a save) must wait for reads on their way: it then runs after them."""
        if not self._reading or self._holding:
            return False
        self._when_read = action
        self.hint.setText(SAVING_SOON)
        return True

    # -- to implement ----------------------------------------------------------
    def problems(self) -> dict[str, str]:
        raise NotImplementedError

    def add_footer_button(self, text: str, name: str, slot, *, left: bool = False) -> QPushButton:
        """A button beside Save (or at the far left, for Delete), never the default one."""
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        if left:
            self.footer.insertWidget(0, button)
        else:
            self.footer.insertWidget(self.footer.indexOf(self.buttons), button)
        return button

    def chain_tab_order(self, fields: list[QWidget]) -> None:
        """Tab goes down the form in reading order, then along the buttons left to right.

        ``focusNextPrevChild`` follows this list itself: Qt's own chain, rearranged with
        ``setTabOrder`` around compound fields (pickers, spin boxes, tables), left some
        forms going back to their middle after the last button.
        """
        chain = [w.focusProxy() or w for w in fields] + self._footer_buttons()
        for before, after in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(before, after)
        self._tab_fields = [w.focusProxy() or w for w in fields]

    def _footer_buttons(self) -> list[QPushButton]:
        """The footer's buttons as they stand left to right (the platform orders Save/Cancel)."""
        buttons = [
            w
            for i in range(self.footer.count())
            if isinstance(w := self.footer.itemAt(i).widget(), QPushButton)
        ]
        boxed = [
            w
            for i in range(self.buttons.layout().count())
            if isinstance(w := self.buttons.layout().itemAt(i).widget(), QPushButton)
        ]
        return buttons + (boxed or [self.save_button, self.cancel_button])

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 (Qt API)
        """Tab and Shift+Tab along ``chain_tab_order``'s fields, then the buttons, round again."""
        fields = getattr(self, "_tab_fields", None)
        focus = QApplication.focusWidget()
        if not fields or focus is None:
            return super().focusNextPrevChild(next)
        chain = fields + [b for b in self._footer_buttons() if b not in fields]
        here = focus
        while here is not None and here not in chain:
            if here.focusProxy() in chain:  # a picker's chip list: Tab goes on from its box
                here = here.focusProxy()
                break
            here = here.parentWidget()
        if here is None:
            return super().focusNextPrevChild(next)
        stops = [w for w in chain if w is here or _is_tab_stop(w)]
        step = 1 if next else -1
        target = stops[(stops.index(here) + step) % len(stops)]
        target.setFocus(
            Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason
        )
        return True

    def values(self) -> dict[str, object]:
        """What the form shows, field by field, in comparable plain values."""
        raise NotImplementedError

    def fill(self, values: dict[str, object]) -> None:
        """Show ``values`` (as returned by ``values()``) in the widgets."""
        raise NotImplementedError

    def read_choices(self) -> object:
        """What the form's lists offer (sectors, boroughs, tags). Runs on the pool: no widgets."""
        return None

    def show_choices(self, choices: object) -> None:
        """Put ``read_choices``' answer in the lists (on the GUI thread)."""

    def read_record(self) -> object:
        """Read the stored record. Runs on the thread pool, so it touches no widget."""
        raise NotImplementedError

    def record_values(self, record: object) -> dict[str, object]:
        """``read_record``'s answer as values, remembering its version (on the GUI thread)."""
        raise NotImplementedError

    def save_record(self) -> None:
        """Save through the services; raise their errors. Close or reset the form on success."""
        raise NotImplementedError

    # -- validation as you type --------------------------------------------------
    def watch(self, name: str, signal) -> None:
        """Revalidate when ``signal`` fires, and count the field as touched."""
        signal.connect(lambda *_: self._touch(name))

    def _touch(self, name: str) -> None:
        self._touched.add(name)
        self.revalidate()  # at once: Enter right after a keystroke must see the new state

    def revalidate(self) -> bool:
        problems = self.problems()
        for name, label in self.errors.items():
            shown = name in self._touched or self._save_attempted
            label.show_problem(problems.get(name) if shown else None)
        ok = not problems and not self._unusable and not self._holding
        self.save_button.setEnabled(ok)
        self._show_hint(problems)
        return ok

    def _show_hint(self, problems: dict[str, str]) -> None:
        if self._saving is not None:
            self.hint.setText(self._saving)
            return
        if self.loading:
            waiting = self._when_read is not None
            self.hint.setText(SAVING_SOON if waiting else "Loading…")
            return
        hidden = [n for n in problems if not self.errors.get(n) or self.errors[n].isHidden()]
        if not hidden:
            self.hint.clear()
            return
        names = ", ".join(self.field_labels.get(n, n.replace("_", " ")) for n in hidden)
        self.hint.setText(f"To save, fill in: {names}.")

    def load_existing_later(self, then: Callable[[], None]) -> None:
        """Read the stored record on the pool (``read_record``), so the window never freezes.

        The form opens at once with its fields disabled and "Loading…" in the footer:
        nothing can be typed that the answer would overwrite. When the record arrives
        it is shown, and ``then`` runs (the title, the focus); a failed read is said in
        the banner and leaves a form that cannot save.
        """
        from ui.models.loader import Loader

        self._record_loader = Loader(self)
        self._record_then = then
        self._record_loader.loaded.connect(self._record_arrived)
        self._record_loader.failed.connect(self._record_failed)
        self._hold(True)
        self._record_loader.load(_call_weakly, weakref.ref(self), "_read_choices_and_record")

    def load_choices_later(self, waiting: list[QWidget]) -> None:
        """A new form: its lists are read on the pool (``read_choices``), so it opens at once.

        Only the lists in ``waiting`` are disabled until they arrive; every other field
        can be typed into at once, and nothing typed is touched by the answer. Save
        waits for the lists ("Loading…"); a failed read is said in the banner.
        """
        from ui.models.loader import Loader

        held = [w for w in waiting if w.isEnabled()]
        for widget in held:
            widget.setEnabled(False)
        self._choices_held = held
        self._choices_loader = Loader(self)
        self._choices_loader.loaded.connect(self._choices_arrived)
        self._choices_loader.failed.connect(self._choices_failed)
        self.begin_read()
        self._choices_loader.load(_call_weakly, weakref.ref(self), "read_choices")

    def _choices_failed(self, message: str, _error: object = None) -> None:
        self._choices_arrived(None, message)

    def _choices_arrived(self, choices: object, message: str | None = None) -> None:
        held, self._choices_held = self._choices_held, []
        for widget in held:
            widget.setEnabled(True)
        if message is None:
            try:
                self.show_choices(choices)
            except Exception as error:  # said in words, never a traceback
                from ui.workers import describe_error

                message = describe_error(error)
        if message is not None:
            self.banner.show_message(f"The lists of this form could not be read: {message}")
        self.end_read()
        self.record_ready.emit()

    def _read_choices_and_record(self) -> tuple[object, object]:
        """On the pool: the lists and the record in one trip, so the form fills in one go."""
        return self.read_choices(), self.read_record()

    def _hold(self, loading: bool) -> None:
        """Disable the fields while the record is read; give back exactly those disabled."""
        if loading and self._holding:
            return  # already held: the list of fields to give back stays the first one
        self._holding = loading
        if loading:
            keep = (self.banner, self.hint, self.buttons)
            self._held_disabled = [
                w
                for w in self.findChildren(
                    QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly
                )
                if w not in keep and not w.isWindow() and w.isEnabled()
            ]
        for widget in self._held_disabled:
            widget.setEnabled(not loading)
        if not loading:
            self._held_disabled = []
        self.revalidate()

    def _record_arrived(self, answer: tuple[object, object]) -> None:
        then, self._record_then = self._record_then, _nothing
        self._hold(False)
        choices, record = answer
        try:
            self.show_choices(choices)
            values = self.record_values(record)
        except Exception as error:  # said in words, never a traceback
            from ui.workers import describe_error

            self._record_failed(describe_error(error), error)
            return
        self.fill(values)
        self.mark_loaded()
        then()
        self.record_ready.emit()

    def _record_failed(self, message: str, _error: object = None) -> None:
        self._hold(False)
        self.banner.show_message(f"This record cannot be opened: {message}")
        self._unusable = True
        self.revalidate()
        self.record_ready.emit()

    def mark_loaded(self) -> None:
        """The form now shows the stored record (or a blank one): nothing unsaved yet."""
        self._loaded_values = self.values()
        self._touched.clear()
        self._save_attempted = False
        self.revalidate()

    def is_dirty(self) -> bool:
        return self.values() != self._loaded_values

    # -- saving --------------------------------------------------------------------
    @property
    def saving(self) -> bool:
        """A save (or delete) is running on the pool: the form is held until it ends."""
        return self._saving is not None

    def attempt_save(self) -> None:
        """Save if valid; on any failure keep the dialog open with what was typed."""
        if self._saving is not None or self.save_when_read(self.attempt_save):
            return
        self._save_attempted = True
        if not self.revalidate():
            self._focus_first_problem()
            return
        self.banner.clear()
        try:
            self.save_record()
        except Exception as error:  # every failure becomes words, never a traceback
            self.show_save_error(error)

    def run_save(
        self,
        work: Callable[[], object],
        then: Callable[[object], None],
        saying: str = SAVING,
    ) -> None:
        """Run ``work`` (service calls only: no widget, no ``self``) on the pool, the form held.

        Meanwhile the fields are read-only (disabled), Save, Cancel and Esc do nothing and
        the footer says ``saying``. When ``work`` returns, the form is given back and
        ``then(result)`` runs on the GUI thread (push the undo entry, say what changed,
        close). If it raises, the form is given back with everything typed and the
        service's reason shown (``show_save_error``).
        """
        from ui.workers import Job

        focus = QApplication.focusWidget()
        self._focus_before_save = focus if focus is not None and self.isAncestorOf(focus) else None
        self._saving = saying
        self._hold(True)
        self.cancel_button.setEnabled(False)
        self._save_then = then
        job = Job(work, pass_context=False)
        job.finished.connect(self._save_finished)
        job.failed.connect(self._save_failed)
        job.start()

    def _release_after_save(self) -> None:
        self._saving = None
        self.cancel_button.setEnabled(True)
        self._hold(False)
        focus, self._focus_before_save = self._focus_before_save, None
        if focus is not None and focus.isVisible() and focus.isEnabled():
            focus.setFocus()

    def _save_finished(self, result: object) -> None:
        then, self._save_then = self._save_then, None
        self._release_after_save()
        if then is None:
            return
        try:
            then(result)
        except Exception as error:  # said in words, never a traceback
            log.error("finishing a save failed", exc_info=error)
            self.show_save_error(error)

    def _save_failed(self, _message: str, error: object) -> None:
        self._save_then = None
        self._release_after_save()
        if isinstance(error, Exception):
            self.show_save_error(error)
        else:
            self.banner.show_message(f"Not saved: {_message}")

    def show_save_error(self, error: Exception) -> None:
        from db.errors import ConcurrentEditError
        from ui.workers import describe_error
        from vru_crm.errors import ValidationError

        if isinstance(error, ValidationError):
            self.show_field_problems(error.fields)
        elif isinstance(error, ConcurrentEditError):
            self.banner.show_message(
                f"{error} Your text is still here: press Reload to take in their change "
                "(what you typed is kept), then Save again.",
                [("&Reload", self.reload_keeping_text)],
            )
        else:
            self.banner.show_message(f"Not saved: {describe_error(error)}")

    def show_field_problems(self, fields: dict[str, str]) -> None:
        loose = []
        for name, problem in fields.items():
            label = self.errors.get(name)
            if label is not None:
                label.show_problem(problem)
            else:
                loose.append(f"{self.field_labels.get(name, name.replace('_', ' '))}: {problem}")
        self.banner.show_message(
            "Not saved. " + ("; ".join(loose) if loose else "See the fields marked below.")
        )
        self._focus_first_problem()

    def _focus_first_problem(self) -> None:
        for label in self.errors.values():
            if not label.isHidden() and label._field is not None:
                label._field.setFocus()
                return

    def reload_keeping_text(self) -> None:
        """Take in someone else's change: fields the user did not change show the new values.

        What the user typed wins field by field; the stored version becomes the
        one the next Save checks against. The record is read on the pool
        (``read_record``), the form held with "Loading…" meanwhile: nothing can be
        typed that the merge would miss.
        """
        if self._holding:
            return  # a reload is already on its way
        from ui.models.loader import Loader

        self._reload_loader = Loader(self)
        self._reload_loader.loaded.connect(self._reloaded)
        self._reload_loader.failed.connect(self._reload_failed)
        self._hold(True)
        self.banner.show_message("Reloading the stored record…")
        self._reload_loader.load(_call_weakly, weakref.ref(self), "read_record")

    def _reloaded(self, record: object) -> None:
        self._hold(False)
        try:
            fresh = self.record_values(record)
        except Exception as error:  # said in words, never a traceback
            from ui.workers import describe_error

            self._reload_failed(describe_error(error))
            return
        self._merge_reloaded(fresh)

    def _reload_failed(self, message: str, _error: object = None) -> None:
        self._hold(False)
        self.banner.show_message(
            f"Could not reload: {message} Your text is still here.",
            [("&Reload", self.reload_keeping_text)],
        )

    def _merge_reloaded(self, fresh: dict[str, object]) -> None:
        """Show ``fresh`` as the stored record, with the user's changes over it."""
        mine, loaded = self.values(), self._loaded_values
        merged = {k: (mine[k] if mine.get(k) != loaded.get(k) else v) for k, v in fresh.items()}
        self.fill(fresh)
        self.mark_loaded()
        self.fill(merged)
        self.revalidate()
        self.banner.show_message("Reloaded. Your changes are kept; check them and Save again.")

    def delete_on_pool(self, kind: str, record_id: int, label: str, version: int | None) -> None:
        """Delete ``record_id`` on the pool (after its undo snapshot); close when done.

        The caller has asked the user first. A refusal (someone else changed it, it is
        gone already) keeps the form open and says why.
        """
        from ui import undo

        database = self.database

        def deleted(shot: object) -> None:
            undo.push_deleted(database, kind, shot, label)
            QDialog.accept(self)

        self.run_save(
            lambda: undo.delete_now(database, kind, record_id, version), deleted, "Deleting…"
        )

    # -- closing -------------------------------------------------------------------
    def reject(self) -> None:
        """Esc or Cancel: ask before throwing away what was typed (not while a save runs)."""
        if self._saving is not None:
            return  # the save's answer closes the form or gives it back
        if self.is_dirty():
            answer = ask(
                self,
                "Unsaved changes",
                "You have changes that are not saved. Discard them?",
                ["Discard changes", "Keep editing"],
                default=1,
            )
            if answer != "Discard changes":
                return
        super().reject()


class RecordFormDialog(FormDialog):
    """A form over one organisation or person: duplicate check before saving, delete with undo."""

    kind = "record"
    record_id: int | None = None
    # The form shown instead of this one ("Open existing", "Merge into existing").
    opened_instead: QDialog | None = None
    noun = "record"  # "organisation", "person": the window titles use it

    def open_record(self, record_id: int | None, name_field: str) -> None:
        """Build the form, fill it from ``record_id`` (None: a new record), and focus ``name_field``.

        Subclasses define ``_build`` (the fields, lists empty), ``read_choices``/``show_choices``
        (the lists), ``read_record``/``record_values`` and ``fill``; an existing record and the
        lists are read on the pool (``load_existing_later``). The title
        says "New person" or "Person: Amina Yusuf" so a user with two forms open
        can tell them apart.
        """
        self.record_id = record_id
        self.version: int | None = None
        self.setWindowTitle(f"Edit {self.noun}" if record_id else f"New {self.noun}")
        self._build()
        name = getattr(self, name_field)
        self.mark_loaded()
        if record_id is None:  # a new form: typing starts at once, the lists come from the pool
            self.load_choices_later(self.choice_widgets())
        self.resize(640, self.sizeHint().height())
        name.setFocus()
        if record_id is not None:
            self.load_existing_later(lambda: self._record_shown(name))

    def _record_shown(self, name: QLineEdit) -> None:
        """The stored record is in the form: its name goes in the title, typing starts there."""
        self.setWindowTitle(f"{self.noun.capitalize()}: {name.text()}")
        name.setFocus()

    def _build(self) -> None:
        """The form's fields (each subclass has its own)."""
        raise NotImplementedError

    def choice_widgets(self) -> list[QWidget]:
        """The lists ``show_choices`` fills: disabled in a new form until they arrive."""
        return []

    def proceed_despite_duplicates(self, matches) -> bool:
        """Ask about likely duplicates; True to go on saving. May open or merge the existing one."""
        if not matches:
            return True
        from ui.dialogs.duplicate_dialog import MERGE, OPEN, SAVE, DuplicateDialog

        dialog = DuplicateDialog(
            self.kind, matches, editing=self.record_id is not None, parent=self
        )
        dialog.exec()
        if dialog.choice == SAVE:
            return True
        if dialog.choice == OPEN and dialog.chosen_id is not None:
            self._switch_to(
                open_record_dialog(self.database, self.kind, dialog.chosen_id, self.parentWidget())
            )
        elif dialog.choice == MERGE and dialog.chosen_id is not None and self.record_id is not None:
            from ui.dialogs.merge_dialog import MergeDialog

            merge = MergeDialog(
                self.database, self.kind, dialog.chosen_id, self.record_id, self.parentWidget()
            )
            self._switch_to(merge)
        return False

    def _switch_to(self, other: QDialog) -> None:
        """Show ``other`` in place of this form, which closes without asking."""
        other.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        other.show()
        self.opened_instead = other
        QDialog.reject(self)

    def delete_record(self, label: str, version: int | None) -> None:

        answer = ask(
            self,
            f"Delete {self.kind}",
            f"Delete {label} and all their links (affiliations, memberships, engagement links)? "
            "You can undo this with Ctrl+Z.",
            ["Delete", "Cancel"],
            default=1,
        )
        if answer != "Delete":
            return
        self.delete_on_pool(self.kind, self.record_id, label, version)  # type: ignore[arg-type]


def open_record_dialog(database, kind: str, record_id: int, parent: QWidget | None) -> QDialog:
    """The form for an existing organisation or person."""
    if kind == "organisation":
        from ui.dialogs.organisation_dialog import OrganisationDialog

        return OrganisationDialog(database, parent, organisation_id=record_id)
    from ui.dialogs.person_dialog import PersonDialog

    return PersonDialog(database, parent, person_id=record_id)
