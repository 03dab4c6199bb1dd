"""Asking for a PostgreSQL password the URL does not carry, and never keeping it.

The password lives only in the memory of this process (in the URL the engine
was made with); it is never written to disk, put on a command line or logged:
``Database.display_name`` and ``render_as_string(hide_password=True)`` leave it out.
"""

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.engine import make_url

from db.errors import DatabaseUnavailable

AskPassword = Callable[[str], str | None]  # prompt -> the password, or None (the user gave up)
_ASKS_FOR_PASSWORD = ("no password supplied", "password authentication failed")


def needs_password(error: BaseException) -> bool:
    """True when the server refused the connection for want of a (right) password."""
    texts = [str(error), str(getattr(error, "__cause__", None) or "")]
    return any(marker in text.lower() for text in texts for marker in _ASKS_FOR_PASSWORD)


def with_password(url: str, password: str) -> str:
    return make_url(url).set(password=password).render_as_string(hide_password=False)


def prompt_for(url: str) -> str:
    parsed = make_url(url)
    who = parsed.username or "your login"
    return f"Password for {who} on {parsed.host or 'localhost'}:{parsed.port or 5432}: "


Opened = TypeVar("Opened")


def open_asking_password(
    open_fn: Callable[[str], Opened], url: str, ask: AskPassword | None, tries: int = 3
) -> Opened:
    """``open_fn(url)``; when the server wants a password, ask for it (up to ``tries`` times).

    Only a URL without a password is asked about: a wrong password written in
    the URL is the URL's problem and is reported as it is.
    """
    has_password = make_url(url).password is not None
    try:
        return open_fn(url)
    except DatabaseUnavailable as error:
        if ask is None or has_password or not needs_password(error):
            raise
        last: DatabaseUnavailable = error
    for _ in range(tries):
        password = ask(prompt_for(url))
        if not password:
            break
        try:
            return open_fn(with_password(url, password))
        except DatabaseUnavailable as error:
            if not needs_password(error):
                raise
            last = error
    raise last


def ask_on_terminal() -> AskPassword | None:
    """``getpass`` (not echoed) when someone is at a terminal; None in a script or a pipe."""
    import getpass
    import sys

    if not sys.stdin.isatty():
        return None
    return lambda prompt: getpass.getpass(prompt)


def should_ask(error: BaseException, url: str, typed: bool) -> bool:
    """Ask for a password: the server wants one, and the URL has none (or one typed before)."""
    return needs_password(error) and (typed or make_url(url).password is None)
