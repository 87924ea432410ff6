"""Character counts of study notes, and detection of notes that copy another text.

How characters are counted
--------------------------
The text is first put in Unicode NFKC form, so a full-width letter or digit (Ａ, １) counts
like its ordinary form and a compatibility character counts as what it stands for (① is 1
character, ™ is 2). Then every character counts except:

* whitespace and separators (Unicode category Z*): spaces, the full-width space U+3000;
* control and invisible characters (Cc, Cf, Cs, Co, Cn): newlines, tabs, the zero-width
  space U+200B, the byte-order mark U+FEFF, private-use and unassigned code points;
* punctuation (P*), Chinese and Western alike: ，。、；：？！“”‘’（）《》【】—…· , . ; : ? ! ( );
* symbols (S*): + = ￥ $ ★, emoji;
* combining marks (M*): an accent that cannot be merged into its letter, the emoji
  variation selector U+FE0F (the invisible half of ❤️), the keycap mark U+20E3. A mark
  belongs to the character it sits on, which counts once.

So what counts is letters (L*) and numbers (N*): each Han character counts once, and so does
each Latin letter and each digit. "学习 Python 3.11！" is 2 + 6 + 3 = 11 characters, "好❤️"
is 1.

How copies are found
--------------------
Both texts are normalized the same way (NFKC, uncounted characters dropped, letters
lowercased), so a copy cannot hide behind changed punctuation, spacing or full-width
letters. Each text becomes the set of its character 5-grams ("shingles"). The score of a new
text against an earlier one is the containment |A ∩ B| / |A|: the share of the new text's
5-grams that also occur in the earlier text. Containment rather than Jaccard similarity,
because a copier who adds an opening and a closing paragraph, or copies part of a much longer
report, must still score high: the question is "how much of this text comes from that one",
not "how alike are the two".

Why 5 characters: Chinese words are mostly 1-4 characters, so a 5-gram usually spans two
words and captures phrasing rather than vocabulary, which honest notes on the same topic
share. Shorter grams make honest notes look more alike; longer grams let a few changed
characters hide a copy (one changed character breaks at most 5 shingles). The standard
official phrases (习近平新时代中国特色社会主义思想, 不忘初心、牢记使命, 全面从严治党) do give
shared shingles, but they are a small part of any genuine reflection: on the texts in the
tests, two reflections written independently on the same meeting score 0.03-0.06, and a
reflection copying ~80% of another with a few characters changed scores 0.73.

Why exact containment and not MinHash: MinHash estimates similarity from a small signature
and pays off with millions of documents, where comparing every pair is impossible. A
department holds at most a few thousand notes, so the exact score is cheap: find_copies
with one 1,500-character note against 3,000 notes of ~1,000 characters, normalizing and
shingling every candidate from its text, takes ~0.7 s here on one idle CPU core (1.1-1.6 s
while the machine was busy with other work); against shingle sets built beforehand with
shingles(), the containment step alone takes ~100 ms.
The exact score is also explainable: it is a plain share of the text, and the matching
passages are shown side by side so that the section chief judges the copy, not a number.

shingles() hashes each 5-gram to a stable 64-bit number (BLAKE2b; Python's own hash() changes
from process to process, so its values could not be stored). compare() and find_copies()
work on the 5-gram strings themselves, which gives the same score as
containment(shingles(a), shingles(b)) unless two different 5-grams share a 64-bit hash (about
one chance in 10**13 per comparison) and is about four times faster than hashing every
candidate (2.9 s for the measurement above).

Passages are found with difflib.SequenceMatcher on the normalized texts (slow, so only for
texts that are flagged) and mapped back to the text as written, punctuation included.
SequenceMatcher finds passages in order: a copy that reorders paragraphs still gets its full
score, but shows only the passages that come in the same order in both texts.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import unicodedata
from collections.abc import Hashable, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import TypeVar

K = TypeVar("K")

# Measured on the reflections in tests/test_textsim.py: one taking ~80% of another with a
# few characters changed scores 0.73 (0.69 the other way round); independently written
# reflections on the same meeting, sharing the standard official phrases, score 0.03-0.06.
# Each changed character costs up to 5 shingles, so a copy with one change every 10
# characters still keeps about half its shingles. 0.5 ("half of this text's 5-grams also
# occur in that one") lies well clear of both and is easy to state to users.
DEFAULT_THRESHOLD = 0.5

# Passages: matching runs shorter than this are ignored (common words, official phrases
# split by a difference); runs whose gap is at most _MAX_GAP characters in both texts are
# shown as one passage, so a few changed characters do not split a copied sentence.
_MIN_BLOCK = 8
_MAX_GAP = 4


def _counts(ch: str) -> bool:
    """Whether a single (already NFKC-normalized) character counts; see the module rule."""
    # Excluded are the categories Z*, C*, P*, S* and M*: what remains is letters and numbers.
    return unicodedata.category(ch)[0] in "LN"


def _lower(ch: str) -> str:
    # One character in, one out: "İ".lower() is two characters, keep such letters as they are.
    low = ch.lower()
    return low if len(low) == 1 else ch


@functools.cache
def _composes_backwards() -> frozenset[str]:
    """Starters that NFKC can merge with the character before them.

    The second characters of canonical pairs (e.g. Tamil and Bengali vowel signs) and the
    Hangul medial and final jamo. Built once from the Unicode database (~30 ms).
    """
    found = {chr(c) for c in range(0x1161, 0x1176)} | {chr(c) for c in range(0x11A8, 0x11C3)}
    for cp in range(0x30000):
        decomposition = unicodedata.decomposition(chr(cp))
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            if len(parts) == 2:
                found.add(chr(int(parts[1], 16)))
    return frozenset(found)


class _CharTable(dict[str, str | None]):
    """Per-character cache: what one character normalizes to, or None if it may join the
    character before it (a combining mark, a composing vowel sign, ...), in which case the
    cluster has to be normalized as a whole. At most one entry per code point seen."""

    def __missing__(self, ch: str) -> str | None:
        decomposed = unicodedata.normalize("NFKD", ch)
        first = decomposed[0] if decomposed else ch
        if (
            unicodedata.combining(ch)
            or unicodedata.combining(first)
            or (first in _composes_backwards())
        ):
            value = None
        else:
            value = _keep(unicodedata.normalize("NFKC", ch))
        self[ch] = value
        return value


_TABLE = _CharTable()


def _keep(nfkc: str) -> str:
    return "".join(_lower(c) for c in nfkc if _counts(c))


def _clusters(text: str) -> Iterable[tuple[int, int]]:
    """Split text into spans that NFKC normalizes independently: a character together with
    every following character that may join it."""
    start = 0
    for i in range(1, len(text)):
        if _TABLE[text[i]] is not None:
            yield start, i
            start = i
    if text:
        yield start, len(text)


def _normalize_with_map(text: str) -> tuple[str, list[int], list[int]]:
    """The normalized text, and for each of its characters the start and end offsets in
    ``text`` of the characters it came from."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for start, end in _clusters(text):
        if end - start == 1:
            kept = _TABLE[text[start]]
            if kept is None:  # a lone joining character at the very start
                kept = _keep(unicodedata.normalize("NFKC", text[start]))
        else:
            kept = _keep(unicodedata.normalize("NFKC", text[start:end]))
        out.append(kept)
        starts.extend([start] * len(kept))
        ends.extend([end] * len(kept))
    return "".join(out), starts, ends


def normalize(text: str) -> str:
    """The text as compared: NFKC, only the characters that count_characters counts, letters
    lowercased. ``len(normalize(t)) == count_characters(t)`` always.

    NFKC is applied cluster by cluster (a character and whatever combines with it), which
    gives the same result as NFKC of the whole text and lets every normalized character be
    traced back to where it was written, for showing passages.
    """
    parts = [_TABLE[ch] for ch in text]
    if None not in parts:  # the usual case: every character normalizes on its own
        return "".join(parts)  # type: ignore[arg-type]
    return _normalize_with_map(text)[0]


def count_characters(text: str) -> int:
    """Number of characters in a typed note, whitespace, punctuation, symbols and invisible
    characters excluded (the full rule is in the module docstring). This is the count shown
    to users and checked against a required length, so it ignores padding with spaces,
    line breaks, punctuation or emoji."""
    return len(normalize(text))


def _hash(gram: str) -> int:
    data = gram.encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


def _grams(norm: str, k: int) -> set[str]:
    """The distinct k-grams of a normalized text (the whole text if shorter than k)."""
    if k < 1:
        raise ValueError(f"k must be at least 1, not {k}")
    if len(norm) < k:
        return {norm} if norm else set()
    return {norm[i : i + k] for i in range(len(norm) - k + 1)}


def shingles(text: str, *, k: int = 5) -> set[int]:
    """The hashed character k-grams of the normalized text.

    Hashes are BLAKE2b-64, the same in every process, so they can be stored. A text shorter
    than k characters gives one shingle for the whole text (so it still equals itself); an
    empty text gives none.
    """
    return {_hash(gram) for gram in _grams(normalize(text), k)}


def _share(a: AbstractSet[Hashable], b: AbstractSet[Hashable]) -> float:
    return len(a & b) / len(a) if a else 0.0


def containment(a: set[int], b: set[int]) -> float:
    """|a ∩ b| / |a|: how much of text a appears in text b (0.0 when a is empty).

    Asymmetric on purpose: a short note copied whole into a long report is contained 1.0 in
    it, while the report is barely contained in the note."""
    return _share(a, b)


@dataclass(frozen=True)
class Match:
    """How much of a new text is found in another, and where.

    ``score`` is the containment of the new text in the other (0..1). ``passages`` are the
    matching passages side by side, in order: each pair is (passage as written in the new
    text, passage as written in the other text), punctuation and spacing as typed, so that
    the two can be shown next to each other. A few changed characters inside a passage do
    not split it, so the two sides of a pair can differ slightly.
    """

    score: float
    passages: list[tuple[str, str]]


def _passages(
    a_text: str,
    a_map: tuple[str, list[int], list[int]],
    b_text: str,
    b_map: tuple[str, list[int], list[int]],
) -> list[tuple[str, str]]:
    a_norm, a_starts, a_ends = a_map
    b_norm, b_starts, b_ends = b_map
    matcher = difflib.SequenceMatcher(None, a_norm, b_norm, autojunk=False)
    spans: list[list[int]] = []  # [a_start, a_end, b_start, b_end] in normalized offsets
    for block in matcher.get_matching_blocks():
        if block.size < _MIN_BLOCK:
            continue
        a0, b0 = block.a, block.b
        a1, b1 = a0 + block.size, b0 + block.size
        if spans and a0 - spans[-1][1] <= _MAX_GAP and b0 - spans[-1][3] <= _MAX_GAP:
            spans[-1][1], spans[-1][3] = a1, b1
        else:
            spans.append([a0, a1, b0, b1])
    return [
        (a_text[a_starts[a0] : a_ends[a1 - 1]], b_text[b_starts[b0] : b_ends[b1 - 1]])
        for a0, a1, b0, b1 in spans
    ]


def compare(a_text: str, b_text: str, *, k: int = 5) -> Match:
    """How much of ``a_text`` (the new text) is found in ``b_text``, with the passages."""
    a_map = _normalize_with_map(a_text)
    b_map = _normalize_with_map(b_text)
    score = _share(_grams(a_map[0], k), _grams(b_map[0], k))
    return Match(score=score, passages=_passages(a_text, a_map, b_text, b_map))


def find_copies(
    text: str,
    candidates: Iterable[tuple[K, str]],
    *,
    threshold: float,
    k: int = 5,
    min_chars: int = 50,
) -> list[tuple[K, Match]]:
    """The candidates that ``text`` largely repeats: (key, Match) for each candidate whose
    containment of ``text`` is at least ``threshold``, best first (ties keep candidate order).

    A text (the new one or a candidate) with fewer than ``min_chars`` counted characters is
    never flagged: there is too little of it to tell copying from coincidence. Each text is
    normalized and shingled once; passages are computed only for the hits.
    """
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be between 0 and 1, not {threshold}")
    norm = normalize(text)
    if len(norm) < min_chars:
        return []
    mine = _grams(norm, k)
    hits: list[tuple[float, K, str]] = []
    for key, other in candidates:
        other_norm = normalize(other)
        if len(other_norm) < min_chars:
            continue
        score = _share(mine, _grams(other_norm, k))
        if score >= threshold:
            hits.append((score, key, other))
    hits.sort(key=lambda hit: -hit[0])
    if not hits:
        return []
    a_map = _normalize_with_map(text)
    return [
        (
            key,
            Match(score=score, passages=_passages(text, a_map, other, _normalize_with_map(other))),
        )
        for score, key, other in hits
    ]
