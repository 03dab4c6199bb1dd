"""Mailing-list vCards that strict readers take: khard refused every card.

Two readers check each file: vobject (what khard reads cards with) with its
validation on, and the checker below, written from RFC 2426 (vCard 3.0): CRLF
lines of at most 75 octets, VERSION right after BEGIN, exactly one FN, one N of
five parts and one UID, only the escapes the RFC defines, and what khard adds:
a UID on every card, different between people, the same at every export.
"""

import re

import pytest
from test_protection_mailing import _everyone

from vru_crm.protection import mailing

vobject = pytest.importorskip("vobject")

NAME = re.compile(r"^(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)((?:;[^:]*)?):(.*)$", re.S)
TEXT_ESCAPE = re.compile(r"\\(.)", re.S)
REQUIRED_ONCE = ("VERSION", "FN", "N", "UID")


def rfc2426_problems(data: bytes) -> list[str]:
    """What makes ``data`` not a list of vCard 3.0 cards a strict reader takes (empty: none)."""
    problems: list[str] = []
    text = data.decode("utf-8")
    if not text.endswith("\r\n") or re.search(r"(?<!\r)\n", text):
        problems.append("lines must end in CRLF")
    physical = text.split("\r\n")[:-1]
    problems += [f"line over 75 octets: {p[:30]}" for p in physical if len(p.encode()) > 75]
    logical: list[str] = []
    for line in physical:
        if line[:1] in (" ", "\t") and logical:
            logical[-1] += line[1:]
        else:
            logical.append(line)
    card: dict[str, list[str]] | None = None
    uids: list[str] = []
    for line in logical:
        match = NAME.match(line)
        if not match:
            problems.append(f"not a content line: {line[:40]}")
            continue
        name, value = match.group(1).upper(), match.group(3)
        if name == "BEGIN" and value.upper() == "VCARD":
            card = {}
            continue
        if card is None:
            problems.append(f"{name} outside a card")
            continue
        if name == "END":
            for required in REQUIRED_ONCE:
                if len(card.get(required, [])) != 1:
                    problems.append(f"a card needs exactly one {required}")
            if card.get("VERSION") != ["3.0"]:
                problems.append("VERSION must be 3.0")
            if card.get("_first") != ["VERSION"]:
                problems.append("VERSION must follow BEGIN:VCARD")
            uids += card.get("UID", [])
            card = None
            continue
        card.setdefault("_first", [name])
        card.setdefault(name, []).append(value)
        for escaped in TEXT_ESCAPE.findall(value):
            if escaped not in "\\;,nN":
                problems.append(f"{name} has an escape the RFC does not define: \\{escaped}")
        if name in ("FN", "TITLE") and re.search(r"(?<!\\)[,;]", value):
            problems.append(f"{name} has an unescaped comma or semicolon")
        if name == "N" and len(re.split(r"(?<!\\);", value)) != 5:
            problems.append("N must have five parts (family;given;additional;prefixes;suffixes)")
    if card is not None:
        problems.append("a card has no END:VCARD")
    if len(set(uids)) != len(uids):
        problems.append("two cards share a UID")
    return problems


def test_the_checker_refuses_the_old_cards():
    """The cards written before this fix (no UID) are refused: the checker is strict enough."""
    old = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Amara Okafor\r\nN:Okafor;Amara;;;\r\nEND:VCARD\r\n"
    assert rfc2426_problems(old) == ["a card needs exactly one UID"]
    assert "N must have five parts" in " ".join(
        rfc2426_problems(old.replace(b"Amara;;;", b"Amara").replace(b"N:Ok", b"UID:x\r\nN:Ok"))
    )


def test_mailing_list_cards_are_strict_vcard_3(database, tmp_path):
    ids, network = _everyone(database)
    result = mailing.build_list(
        database, mailing.ListRequest("network", "email", network_ids=[network])
    )
    data = mailing.export(result, tmp_path / "list.vcf").read_bytes()
    assert rfc2426_problems(data) == []
    cards = list(vobject.readComponents(data.decode("utf-8"), validate=True))
    assert len(cards) == len(result.recipients) == 2
    by_name = {card.fn.value: card for card in cards}
    amara = by_name["Amara Okafor"]
    assert amara.version.value == "3.0"
    assert (amara.n.value.family, amara.n.value.given) == ("Okafor", "Amara")
    assert amara.uid.value == mailing.vcard_uid(ids["yes"])
    assert by_name['=HYPERLINK("x") Bilal'].uid.value == mailing.vcard_uid(ids["any"])
    again = mailing.export(result, tmp_path / "again.vcf").read_bytes()
    assert again == data  # the same cards, the same UIDs, at every export


def test_uids_are_stable_and_distinct():
    assert mailing.vcard_uid(7) == mailing.vcard_uid(7)
    assert mailing.vcard_uid(7) != mailing.vcard_uid(8)
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", mailing.vcard_uid(7))


def test_awkward_names_still_make_strict_cards():
    request = mailing.ListRequest("newsletter", "phone")
    people = [
        mailing.Recipient(
            1, "Zoë Ångström", None, "+44 20 7946 0018", "Lead; youth, faith", None, None
        ),
        mailing.Recipient(2, "Cher", None, "020 7946 0019", None, "A, B & C; Partners " * 5, None),
        mailing.Recipient(3, "Ann\\Back Slash", None, "07700 900123", None, None, None),
    ]
    data = mailing.to_vcard(mailing.MailingList(request, people, mailing.Counter())).encode()
    assert rfc2426_problems(data) == []
    cards = list(vobject.readComponents(data.decode(), validate=True))
    assert [c.fn.value for c in cards] == ["Zoë Ångström", "Cher", "Ann\\Back Slash"]
    assert cards[0].tel.value == "+44 20 7946 0018" and cards[0].title.value == "Lead; youth, faith"
    assert cards[1].n.value.family == "Cher"
