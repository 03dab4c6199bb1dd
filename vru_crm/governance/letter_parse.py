"""Find the recommendations in a letter's text, for the user to confirm and correct.

Letters reach the VRU as PDFs turned into text or Markdown: page headers repeat,
footnotes sit in the middle of a recommendation that runs over a page, and a
reply quotes each recommendation and answers it underneath. This module reads
such text without a database, so the letter form can offer what it found as
the user pastes, and ``vru-crm letter parse`` can show it without writing.

What is found:

- numbered recommendations ("Recommendation 3: ... by May 2020", "Recommendation
  one -", a "Recommendation 2" heading with the text below), each with a due date
  when the text gives one ("by May 2020" is 31 May 2020; "within three months"
  counts from the letter's date);
- numbered or bulleted lists under a heading "Recommendations";
- in a reply ("Thank you for your letter ..."), each quoted recommendation and the
  answer written under it, which becomes the recorded reply;
- the letter's date, its sender (from the signature) and the reply due date
  ("your response to this letter by 30 April 2020").

Nothing found is not an error: a letter without recommendations gives an empty list.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

__all__ = ["FoundRecommendation", "ParsedLetter", "parse_letter", "find_deadline"]


@dataclass(frozen=True)
class FoundRecommendation:
    number: int | None
    text: str
    due_date: date | None
    reply: str | None

    def to_dict(self) -> dict[str, Any]:
        values = asdict(self)
        values["due_date"] = self.due_date.isoformat() if self.due_date else None
        return values


@dataclass(frozen=True)
class ParsedLetter:
    sender: str | None
    letter_date: date | None
    reply_due: date | None
    recommendations: tuple[FoundRecommendation, ...] = field(default=())

    @property
    def is_reply(self) -> bool:
        """True when the recommendations came with answers (a reply letter)."""
        return any(r.reply for r in self.recommendations)

    def to_dict(self) -> dict[str, Any]:
        return {
            "sender": self.sender,
            "letter_date": self.letter_date.isoformat() if self.letter_date else None,
            "reply_due": self.reply_due.isoformat() if self.reply_due else None,
            "recommendations": [r.to_dict() for r in self.recommendations],
        }


# --- words and dates ------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            (),
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        )
    )
    for name in names
}
_MONTH = (
    r"(january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?(?![a-z])"
)
_NUMBER_WORDS = {
    word: n
    for n, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
_LABEL_NUMBER = r"(\d{1,3}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_NUMBER_WORDS.update({"a": 1, "an": 1})
_NUMBER = r"(\d{1,3}|an|a|" + _LABEL_NUMBER[len("(\\d{1,3}|") :]
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
_ORDINAL = r"(?:st|nd|rd|th)?"
_SEASON_END = {"spring": (5, 31), "summer": (8, 31), "autumn": (11, 30), "winter": (2, 0)}


def _number(word: str) -> int | None:
    word = word.lower()
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _month_name_ok(token: str) -> bool:
    """'May' or 'MAY' is a month; 'may' in running text is a verb."""
    return token[:1].isupper()


_DATE_FORMS = (
    re.compile(
        _WEEKDAY + r"(\d{1,2})" + _ORDINAL + r"\s+(?:of\s+)?" + _MONTH + r",?\s+(\d{4})", re.I
    ),
    re.compile(_WEEKDAY + _MONTH + r"\s+(\d{1,2})" + _ORDINAL + r",?\s+(\d{4})", re.I),
    re.compile(r"(\d{4})-(\d{2})-(\d{2})"),
    re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})"),
)


def _date_in(text: str) -> tuple[date | None, re.Match[str] | None]:
    """The first full date written in ``text`` and where it is."""
    best: tuple[date | None, re.Match[str] | None] = (None, None)
    for index, form in enumerate(_DATE_FORMS):
        match = form.search(text)
        if match is None or (best[1] is not None and match.start() >= best[1].start()):
            continue
        groups = match.groups()
        if index == 0:
            day = _safe_date(int(groups[2]), _MONTHS[groups[1].lower()], int(groups[0]))
        elif index == 1:
            day = _safe_date(int(groups[2]), _MONTHS[groups[0].lower()], int(groups[1]))
        elif index == 2:
            day = _safe_date(int(groups[0]), int(groups[1]), int(groups[2]))
        else:
            day = _safe_date(int(groups[2]), int(groups[1]), int(groups[0]))
        if day is not None:
            best = (day, match)
    return best


def _infer_year(month: int, letter_date: date | None, day: int | None = None) -> int | None:
    """A month written without a year is the next one on or after the letter's date."""
    if letter_date is None:
        return None
    year = letter_date.year
    end = _safe_date(year, month, day) if day else _month_end(year, month)
    if end is not None and end < letter_date:
        year += 1
    return year


_BY = r"\b(?:by|no\s+later\s+than|not\s+later\s+than)\s+(?:the\s+)?(?:(?:end|close)\s+of\s+(?:the\s+)?)?"
_DEADLINES = (
    # by 30 April 2020, by Thursday 30th April
    (
        "day",
        re.compile(
            _BY
            + _WEEKDAY
            + r"(\d{1,2})"
            + _ORDINAL
            + r"\s+(?:of\s+)?"
            + _MONTH
            + r"(?:,?\s+(\d{4}))?",
            re.I,
        ),
    ),
    # by April 30, 2020
    ("us_day", re.compile(_BY + _MONTH + r"\s+(\d{1,2})" + _ORDINAL + r",?\s+(\d{4})", re.I)),
    # by 30/04/2020
    ("numeric", re.compile(_BY + r"(\d{1,2})/(\d{1,2})/(\d{4})", re.I)),
    # by May 2020, by the end of December, by mid-May 2020
    (
        "month",
        re.compile(_BY + r"(?:(?:early|mid|late)[-\s]+)?" + _MONTH + r"(?:,?\s+(\d{4}))?", re.I),
    ),
    # by the end of the financial year (2020/21)
    (
        "financial",
        re.compile(
            _BY
            + r"(?:(?:this|current|next)\s+)?financial\s+year(?:\s+(\d{4})\s*[/-]\s*(\d{2,4}))?",
            re.I,
        ),
    ),
    # by the end of the year / this year
    ("year_words", re.compile(_BY + r"(?:this\s+|the\s+|calendar\s+)*year\b", re.I)),
    # by summer 2020, by the end of the spring
    ("season", re.compile(_BY + r"(spring|summer|autumn|winter)(?:\s+(\d{4}))?", re.I)),
    # by the end of 2020, by 2021
    ("year", re.compile(_BY + r"((?:19|20)\d{2})\b(?![/-]\d)", re.I)),
    # within three months, within 28 days, within a month
    (
        "within",
        re.compile(
            r"\bwithin\s+(?:the\s+next\s+)?" + _NUMBER + r"\s+(day|week|month|year)s?\b", re.I
        ),
    ),
)


def _deadline_from(kind: str, match: re.Match[str], letter_date: date | None) -> date | None:
    groups = match.groups()
    if kind == "day":
        if not _month_name_ok(groups[1]):
            return None
        month, day = _MONTHS[groups[1].lower()], int(groups[0])
        year = int(groups[2]) if groups[2] else _infer_year(month, letter_date, day)
        return _safe_date(year, month, day) if year else None
    if kind == "us_day":
        if not _month_name_ok(groups[0]):
            return None
        return _safe_date(int(groups[2]), _MONTHS[groups[0].lower()], int(groups[1]))
    if kind == "numeric":
        return _safe_date(int(groups[2]), int(groups[1]), int(groups[0]))
    if kind == "month":
        if not _month_name_ok(groups[0]):
            return None
        month = _MONTHS[groups[0].lower()]
        year = int(groups[1]) if groups[1] else _infer_year(month, letter_date)
        return _month_end(year, month) if year else None
    if kind == "financial":
        if groups[0]:
            return date(int(groups[0]) + 1, 3, 31)
        if letter_date is None:
            return None
        year = letter_date.year + (1 if letter_date > date(letter_date.year, 3, 31) else 0)
        return date(year, 3, 31)
    if kind == "year_words":
        return date(letter_date.year, 12, 31) if letter_date else None
    if kind == "season":
        month, day = _SEASON_END[groups[0].lower()]
        year = int(groups[1]) if groups[1] else (letter_date.year if letter_date else None)
        if year is None:
            return None
        if groups[0].lower() == "winter":
            return _month_end(year + 1, 2)
        found = date(year, month, day)
        if not groups[1] and letter_date and found < letter_date:
            found = date(year + 1, month, day)
        return found
    if kind == "year":
        return date(int(groups[0]), 12, 31)
    # within N units, counted from the letter's date
    count = _number(groups[0])
    if letter_date is None or count is None:
        return None
    unit = groups[1].lower()
    if unit == "day":
        return letter_date + timedelta(days=count)
    if unit == "week":
        return letter_date + timedelta(weeks=count)
    return _add_months(letter_date, count * (12 if unit == "year" else 1))


def find_deadline(text: str, letter_date: date | None = None) -> date | None:
    """The first deadline written in ``text`` ("by May 2020" -> 31 May 2020), or None.

    Words without a year ("by the end of May", "within three months") count from
    ``letter_date``; without one they give None rather than a guess.
    """
    found: list[tuple[int, int, date]] = []
    for priority, (kind, pattern) in enumerate(_DEADLINES):
        for match in pattern.finditer(text):
            due = _deadline_from(kind, match, letter_date)
            if due is not None:
                found.append((match.start(), priority, due))
                break
    return min(found)[2] if found else None


# --- the text as blocks (paragraphs, list items, headings) ----------------------------------


@dataclass
class _Block:
    raw: str  # the Markdown as written, lines joined by spaces
    text: str  # plain words
    marker: str | None = None  # a list item's marker: "3", "•"
    heading: bool = False  # a Markdown heading (#)
    bold: bool = False  # the whole paragraph is in bold
    after_break: bool = False  # page furniture (footer, footnotes) was removed just before it


_FOOTNOTE = re.compile(r"^\s*(?:<sup>\s*\d+\s*</sup>|\[\^\d+\]:|\^\d+\s)")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,}|={3,})\s*$")
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?\s*$", re.I)
_NUMBERED = re.compile(r"^\s*(?:\((\d{1,2})\)|(\d{1,2})[.)])\s+(?=\S)")
_BULLET = re.compile(r"^\s*([-*+\u2022\u25cf\u25aa\u25e6\u2023\u2043\u2013])\s+(?=\S)")
_LABEL_START = re.compile(r"^[\s#>*_\"\u201c]*recommendation(?!s)\b", re.I)
_HEADING = re.compile(r"^\s*#{1,6}\s")


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n---\n")
    for space in ("\u00a0", "\u2007", "\u202f", "\t"):
        text = text.replace(space, " ")
    return text.replace("\u200b", "").replace("\ufeff", "")


def _plain(raw: str) -> str:
    """Markdown reduced to its words: no emphasis, headings, footnote marks or links."""
    text = re.sub(r"<sup>.*?</sup>", "", raw)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"^\s*#{1,6}\s+", "", text)
    text = re.sub(r"^\s*>\s?", "", text)
    text = text.replace("**", "").replace("__", "")
    text = re.sub(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])", r"\1", text)
    text = re.sub(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def _is_bold(raw: str) -> bool:
    body = re.sub(r"^\s*(?:#{1,6}\s+|>\s*)", "", raw).strip()
    if "**" not in body:
        return False
    rest = re.sub(r"\*\*.+?\*\*", "", body)
    return not re.search(r"\w", _plain(rest))


def _furniture_lines(lines: list[str]) -> set[str]:
    """Short lines that repeat on every page ("MAYOR OF LONDON"): headers, not words."""
    counts: dict[str, int] = {}
    for line in lines:
        key = _plain(line).lower()
        if key and len(key.split()) <= 6:
            counts[key] = counts.get(key, 0) + 1
    return {key for key, count in counts.items() if count >= 3}


def _blocks(text: str) -> list[_Block]:
    lines = text.split("\n")
    repeated = _furniture_lines(lines)
    blocks: list[_Block] = []
    current: list[str] = []
    pending_break = False

    def flush() -> None:
        nonlocal current, pending_break
        if not current:
            return
        raw = " ".join(line.strip() for line in current)
        marker = None
        if match := _NUMBERED.match(raw):
            marker = match.group(1) or match.group(2)
            raw = raw[match.end() :]
        elif (match := _BULLET.match(raw)) and not raw.lstrip().startswith("**"):
            marker = "\u2022"
            raw = raw[match.end() :]
        plain = _plain(raw)
        if plain:
            blocks.append(
                _Block(
                    raw=raw,
                    text=plain,
                    marker=marker,
                    heading=bool(_HEADING.match(current[0])),
                    bold=_is_bold(raw),
                    after_break=pending_break,
                )
            )
            pending_break = False
        current = []

    for line in lines:
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        if (
            _RULE.match(line)
            or _FOOTNOTE.match(line)
            or _PAGE_NUMBER.match(line)
            or _plain(line).lower() in repeated
        ):
            flush()
            pending_break = True
            continue
        starts_new = (
            _NUMBERED.match(line)
            or _BULLET.match(line)
            or _HEADING.match(line)
            or _LABEL_START.match(line)
        )
        if starts_new or (current and _HEADING.match(current[0])):
            flush()
        current.append(line)
    flush()
    return _join_page_breaks(blocks)


_ENDS_SENTENCE = re.compile(r"[.!?:;\"\u201d\u2019)]\s*$")


def _join_page_breaks(blocks: list[_Block]) -> list[_Block]:
    """A paragraph cut by a page break (footnotes, a repeated header) is put back together."""
    joined: list[_Block] = []
    for block in blocks:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and block.after_break
            and not _ENDS_SENTENCE.search(previous.text)
            and not previous.heading
            and not block.heading
            and block.marker is None
            and not _LABEL_START.match(block.raw)
            and previous.bold == block.bold
        ):
            previous.raw = f"{previous.raw} {block.raw}"
            previous.text = f"{previous.text} {block.text}"
            continue
        joined.append(block)
    return joined


# --- the parts of a letter ------------------------------------------------------------------

_LABEL = re.compile(
    r"^recommendation(?!s)\s*(?:(?:no\.?|number)\s*)?"
    + _LABEL_NUMBER
    + r"?\s*(?:[:.)\u2013\u2014-]\s*|$)(.*)$",
    re.I,
)
_BOLD_LABEL = re.compile(r"^\W*\*\*\s*recommendation\s+" + _LABEL_NUMBER + r"\s*\*\*\s*(.+)$", re.I)
_LIST_HEADING = re.compile(
    r"^(?:(?:summary\s+of|list\s+of|our|the\s+committee'?s|key|main)\s+)*recommendations\s*:?$"
    r"|\brecommend(?:s|ed)?\b[^.]*:$|\brecommendations\b[^.]*:$",
    re.I,
)
_SIGN_OFF = re.compile(
    r"^(?:yours\s+(?:sincerely|faithfully|truly|ever)|(?:kind|best|warm|with\s+best)\s+regards"
    r"|regards|(?:with\s+)?best\s+wishes|many\s+thanks)\b[,.!]?",
    re.I,
)
_CLOSING = re.compile(
    r"^(?:thank\s+you\s+(?:again|once\s+again|for\s+your\s+(?:letter|interest|time))|i\s+look\s+forward"
    r"|we\s+look\s+forward|please\s+(?:do\s+not\s+hesitate|let\s+me\s+know|contact))",
    re.I,
)
_REPLY_HINT = re.compile(
    r"\b(?:thank\s+you\s+for\s+your\s+(?:recent\s+)?letter|your\s+letter\s+(?:dated|of)"
    r"|in\s+(?:reply|response)\s+to\s+your|responding\s+to\s+your|(?:each\s+of\s+)?your\s+"
    r"(?:comments\s+and\s+)?recommendations)\b",
    re.I,
)
_CHAIR_OF = re.compile(
    r"\b(?:deputy\s+)?chair(?:man|woman|person)?\s*(?:,|of)\s+(?:the\s+)?(?:london\s+assembly\s+)?"
    r"(.+?(?:committee|board|panel|group|commission))\b",
    re.I,
)


def _clean_quote(text: str) -> str:
    text = text.strip()
    pairs = (('"', '"'), ("\u201c", "\u201d"), ("'", "'"), ("\u2018", "\u2019"))
    for left, right in pairs:
        if len(text) > 2 and text.startswith(left) and text.endswith(right):
            inner = text[1:-1].strip()
            if left not in inner and right not in inner:
                return inner
    if text.endswith(("\u201d", '"')) and text.count(text[-1]) == 1:
        text = text[:-1].rstrip()
    return text


def _letter_date(lines: list[str]) -> date | None:
    """The date line: "Date: 08 MAR 2019", else the first line that is only a date."""
    first_alone: date | None = None
    for line in lines:
        plain = _plain(line)
        labelled = re.match(r"^date[d]?\s*:\s*(.+)$", plain, re.I)
        candidate = labelled.group(1) if labelled else plain
        day, match = _date_in(candidate)
        if day is None or match is None:
            continue
        leftover = (candidate[: match.start()] + candidate[match.end() :]).strip(" ,.")
        if leftover:
            continue
        if labelled:
            return day
        if first_alone is None:
            first_alone = day
    return first_alone


def _sender(lines: list[str]) -> str | None:
    """From the signature under "Yours sincerely": a committee its chair signs for, or the name."""
    plain = [_plain(line) for line in lines]
    for index, line in enumerate(plain):
        if not _SIGN_OFF.match(line):
            continue
        after = _SIGN_OFF.sub("", line, count=1).strip(" ,.")
        signature = [after] if after else []
        for other, raw in zip(plain[index + 1 :], lines[index + 1 :], strict=False):
            if _RULE.match(raw) or _FOOTNOTE.match(raw):
                break
            if other:
                signature.append(other)
            if len(signature) >= 5:
                break
        for title in signature[1:]:
            if match := _CHAIR_OF.search(title):
                return re.sub(r"\s+", " ", match.group(1)).strip()
        if (
            signature
            and 1 <= len(signature[0].split()) <= 6
            and not re.search(r"\d|@", signature[0])
        ):
            return signature[0]
    return None


def _reply_due(blocks: list[_Block], letter_date: date | None) -> date | None:
    for block in blocks:
        for sentence in re.split(r"(?<=[.!?])\s+", block.text):
            asks = re.search(r"\b(?:respon\w*|repl(?:y|ies)|answer)\b", sentence, re.I)
            if asks and (due := find_deadline(sentence, letter_date)):
                return due
    return None


def _label(block: _Block) -> tuple[int | None, str] | None:
    """(number, text after the label) if the block starts "Recommendation 3: ...", else None."""
    if match := _BOLD_LABEL.match(block.raw):
        return _number(match.group(1)), _plain(match.group(2))
    if not _LABEL_START.match(block.raw):
        return None
    text = block.text.lstrip('"\u201c>* ')
    if match := _LABEL.match(text):
        number = _number(match.group(1)) if match.group(1) else None
        return number, match.group(2).strip()
    return None


def _answer(blocks: list[_Block]) -> str | None:
    """The paragraphs of an answer, list items kept as "- item"; closing courtesies dropped."""
    parts: list[str] = []
    for block in blocks:
        if _CLOSING.match(block.text) or _SIGN_OFF.match(block.text):
            break
        parts.append(f"- {block.text}" if block.marker else block.text)
    if not parts:
        return None
    text = parts[0]
    for previous, part in zip(parts, parts[1:], strict=False):
        together = previous.startswith("- ") and part.startswith("- ")
        text += ("\n" if together else "\n\n") + part
    return text


def _stop(block: _Block) -> bool:
    return bool(_SIGN_OFF.match(block.text))


def _labelled(
    blocks: list[_Block], reply: bool, letter_date: date | None
) -> list[FoundRecommendation]:
    starts = [(i, found) for i, block in enumerate(blocks) if (found := _label(block))]
    results = []
    for position, (index, (number, text)) in enumerate(starts):
        end = starts[position + 1][0] if position + 1 < len(starts) else len(blocks)
        body = index + 1
        if not text and body < end:
            text = blocks[body].text
            body += 1
        text = _clean_quote(text)
        if not text:
            continue
        answer = None
        if reply:
            following = []
            for block in blocks[body:end]:
                if _stop(block):
                    break
                following.append(block)
            answer = _answer(following)
        results.append(FoundRecommendation(number, text, find_deadline(text, letter_date), answer))
    return results


def _listed(blocks: list[_Block], letter_date: date | None) -> list[FoundRecommendation]:
    results: list[FoundRecommendation] = []
    index = 0
    while index < len(blocks):
        if not _LIST_HEADING.search(blocks[index].text) or blocks[index].marker:
            index += 1
            continue
        items: list[tuple[str | None, str]] = []
        index += 1
        while index < len(blocks):
            block = blocks[index]
            if block.marker:
                items.append((block.marker, block.text))
            elif (
                items
                and not block.heading
                and not _ENDS_SENTENCE.search(items[-1][1])
                and block.text[:1].islower()
            ):
                items[-1] = (items[-1][0], f"{items[-1][1]} {block.text}")
            else:
                break
            index += 1
        for marker, text in items:
            number = int(marker) if marker and marker.isdigit() else None
            text = _clean_quote(text)
            results.append(
                FoundRecommendation(number, text, find_deadline(text, letter_date), None)
            )
    return results


def _quoted(blocks: list[_Block], letter_date: date | None) -> list[FoundRecommendation]:
    """A reply that quotes each recommendation as a bold or quoted paragraph, answered below."""

    def quoted(block: _Block) -> bool:
        text = block.text
        looks_quoted = block.raw.lstrip().startswith(">") or (
            text[:1] in '"\u201c' and text.rstrip(".")[-1:] in '"\u201d'
        )
        return (
            (block.bold or looks_quoted)
            and not block.heading
            and len(text.split()) >= 6
            and not re.match(r"^(?:re|subject|our\s+ref|your\s+ref|date)\s*:", text, re.I)
        )

    start = next((i for i, b in enumerate(blocks) if re.match(r"^dear\b", b.text, re.I)), -1) + 1
    end = next((i for i, b in enumerate(blocks) if _stop(b)), len(blocks))
    marks = [i for i in range(start, end) if quoted(blocks[i])]
    results = []
    for position, index in enumerate(marks):
        stop = marks[position + 1] if position + 1 < len(marks) else end
        answer = _answer(blocks[index + 1 : stop])
        if answer is None:
            continue
        text = _clean_quote(blocks[index].text)
        results.append(FoundRecommendation(None, text, find_deadline(text, letter_date), answer))
    return results


def parse_letter(text: str) -> ParsedLetter:
    """What a letter says: sender, date, reply due, and its recommendations (maybe none)."""
    clean = _normalise(text or "")
    lines = clean.split("\n")
    blocks = _blocks(clean)
    letter_date = _letter_date(lines)
    reply = bool(_REPLY_HINT.search(" ".join(b.text for b in blocks)))
    # A reply quotes deadlines counted from the first letter's date, not its own.
    due_from = None if reply else letter_date
    found = _labelled(blocks, reply, due_from)
    if not found:
        found = _listed(blocks, due_from)
    if not found and reply:
        found = _quoted(blocks, due_from)
    return ParsedLetter(
        sender=_sender(lines),
        letter_date=letter_date,
        reply_due=None if reply else _reply_due(blocks, letter_date),
        recommendations=tuple(found),
    )
