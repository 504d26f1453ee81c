"""Text normalisation shared by indexing and querying, so both sides always agree."""

import re
import unicodedata

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def normalize(text: str) -> str:
    """Lower-case, strip accents and punctuation: "Boulangère !" -> "boulangere"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", stripped.lower().replace("œ", "oe").replace("æ", "ae")).strip()


def light_stem(word: str) -> str:
    """A crude French plural stripper for the SQLite fallback ("fleurs" -> "fleur")."""
    if len(word) > 3 and word[-1] in "sx":
        return word[:-1]
    return word
