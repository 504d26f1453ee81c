"""What a query's words mean: the town's synonyms, plurals, and typos, the same on SQLite and
PostgreSQL (the relevance table, tests/relevance/, runs on both).

- `query_words(query)`: for each word typed, its alternatives, the word itself first. A word
  of a synonym group ("boulangère") brings the group ("boulangerie", "boulanger", "pain"…);
  words are compared without case, accents or a plural's final s/x.
- `close_words(word, vocabulary)`: the catalogue's words a typo may stand for ("croisant" ->
  "croissant"); used only when a search finds nothing, so a query the catalogue answers as
  typed ("tome", a word of comic titles) is never corrected into another ("tomme").
"""

import difflib
from dataclasses import dataclass

from oscar.core.loading import get_model

from catalog.cache import cache_delete, cache_get_many, cache_set_many
from catalog.text import light_stem, normalize

SYNONYMS_CACHE_KEY = "digitaix:search:synonyms"
SYNONYMS_CACHE_SECONDS = 300
# A typo is corrected to a catalogue word at least this similar (difflib's ratio).
TYPO_CUTOFF = 0.8
TYPO_MIN_LENGTH = 4


@dataclass(frozen=True)
class Word:
    """A word typed and what it may match: itself, its synonyms (normalised, possibly several
    words each, e.g. "bande dessinee")."""

    typed: str
    alternatives: tuple[str, ...]


def stem(word: str) -> str:
    return light_stem(word)


def synonym_groups() -> list[tuple[str, ...]]:
    """The town's synonym groups, normalised, cached a few minutes (cleared on save)."""
    groups = cache_get_many([SYNONYMS_CACHE_KEY]).get(SYNONYMS_CACHE_KEY)  # Redis down: read them
    if groups is None:
        SearchSynonym = get_model("catalogue", "SearchSynonym")
        groups = [
            words
            for row in SearchSynonym.objects.values_list("words", flat=True)
            if (words := synonym_words(row))
        ]
        cache_set_many({SYNONYMS_CACHE_KEY: groups}, SYNONYMS_CACHE_SECONDS)
    return groups


def synonym_words(text: str) -> tuple[str, ...]:
    """ "Boulangerie, boulangère ; pain" -> ("boulangerie", "boulangere", "pain")."""
    seen: dict[str, None] = {}
    for part in text.replace(";", ",").split(","):
        word = normalize(part)
        if word:
            seen.setdefault(word, None)
    return tuple(seen)


def synonyms_changed() -> None:
    cache_delete(SYNONYMS_CACHE_KEY)


def query_words(query: str) -> list[Word]:
    """Each word of `query` with its alternatives (itself first), synonyms included."""
    groups = synonym_groups()
    words = []
    for typed in normalize(query).split():
        alternatives = {typed: None}
        typed_stem = stem(typed)
        for group in groups:
            if any(stem(member) == typed_stem for member in group if " " not in member):
                alternatives.update(dict.fromkeys(group))
        words.append(Word(typed=typed, alternatives=tuple(alternatives)))
    return words


def close_words(word: str, vocabulary: frozenset[str]) -> list[str]:
    """The catalogue's words `word` may be a typo of, closest first (none for short words).

    Asked only once a search found nothing, so a word the catalogue holds is looked at too:
    "tome savoie" finds nothing as typed, and "tome" may then stand for "tomme"."""
    if len(word) < TYPO_MIN_LENGTH:
        return []
    return [
        close
        for close in difflib.get_close_matches(word, vocabulary, n=4, cutoff=TYPO_CUTOFF)
        if close != word
    ]
