"""Words as the search indexes split them: lower case, accents off (the search box, the list's filter)."""

from __future__ import annotations

import re
import unicodedata

# Mirrors db/search_index.py (tests/test_search.py checks they agree).
ACCENTED = "ÀÁÂÃÄÅàáâãäåĀāĂăĄąÇçĆćČčĎďÈÉÊËèéêëĒēĘęĚěÌÍÎÏìíîïĪīŁłÑñŃńŇňÒÓÔÕÖØòóôõöøŌōŐőŘřŚśŠšŞşŤťÙÚÛÜùúûüŪūŮůŰűÝýÿŸŹźŻżŽž"
PLAIN = "AAAAAAaaaaaaAaAaAaCcCcCcDdEEEEeeeeEeEeEeIIIIiiiiIiLlNnNnNnOOOOOOooooooOoOoRrSsSsSsTtUUUUuuuuUuUuUuYyyYZzZzZz"
_ACCENT_TABLE = str.maketrans(ACCENTED, PLAIN)
MAX_WORDS = 6


def normalise_words(text: str) -> list[str]:
    """Lower-case words without accents, split the way the index splits them."""
    plain = unicodedata.normalize("NFKD", text.translate(_ACCENT_TABLE))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower()
    return [w for w in re.split(r"[\W_]+", plain) if w][:MAX_WORDS]
