"""Menu mnemonics are unique in the menu bar and within every menu.

Governance and View were both Alt+V, so Governance could not be opened that
way. The walk goes over every menu of the main window, into submenus, on each
page (the Edit menu's "New …" item names what the page shown makes).
"""

import pytest
from PySide6.QtWidgets import QMenu


def mnemonic(text: str) -> str | None:
    """The Alt letter of a menu text ("&&" is a literal ampersand), lower case."""
    i = 0
    while i < len(text) - 1:
        if text[i] == "&":
            if text[i + 1] == "&":
                i += 2
                continue
            return text[i + 1].lower()
        i += 1
    return None


def clashes(title: str, actions) -> list[str]:
    """Each mnemonic used twice among ``actions`` (separators and hidden items left out)."""
    seen: dict[str, str] = {}
    found = []
    for action in actions:
        if action.isSeparator() or not action.isVisible():
            continue
        letter = mnemonic(action.text())
        if letter is None:
            continue
        if letter in seen:
            found.append(f"{title}: “{seen[letter]}” and “{action.text()}” are both Alt+{letter}")
        else:
            seen[letter] = action.text()
    return found


def walk(title: str, menu: QMenu) -> list[str]:
    menu.aboutToShow.emit()  # menus filled when shown get their items
    found = clashes(title, menu.actions())
    for action in menu.actions():
        if action.menu() is not None:
            found += walk(f"{title} > {action.text()}", action.menu())
    return found


def all_clashes(window) -> list[str]:
    bar = window.menuBar()
    found = clashes("menu bar", bar.actions())
    for action in bar.actions():
        if action.menu() is not None:
            found += walk(action.text(), action.menu())
    return found


def test_the_mnemonic_helper_reads_ampersands():
    assert mnemonic("Go&vernance") == "v"
    assert mnemonic("Smith && Co") is None
    assert mnemonic("Smith && &Co") == "c"


def test_every_menu_and_the_menu_bar_have_their_own_letters(window):
    assert all_clashes(window) == []


def test_every_menu_title_and_item_has_a_letter(window):
    missing = []
    for top in window.menuBar().actions():
        if mnemonic(top.text()) is None:
            missing.append(top.text())
        for action in top.menu().actions():
            if not action.isSeparator() and mnemonic(action.text()) is None:
                missing.append(f"{top.text()} > {action.text()}")
    assert missing == []


@pytest.mark.parametrize("key", ["networks", "meetings"])
def test_letters_stay_unique_when_the_new_item_names_the_page(window, qtbot, key):
    window.show_page(key)
    qtbot.waitUntil(
        lambda: key[:-1] in window.actions_.new_organisation.text().replace("&", "").lower()
    )
    assert all_clashes(window) == []
