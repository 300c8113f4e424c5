"""Arabic-aware text normalisation and light stemming for the knowledge base (pure Python).

The same function turns both the stored article text and the agent's query into a list of
search terms, so a rule only has to be *consistent*, not linguistically perfect: whatever it
does to "المستشفى" in an article it also does to "مستشفيات" in a query. No Django import, so
it is tested (and benchmarked) on its own.

Normalisation, in order, and why:

1. **NFKC** — presentation forms (ﻻ, ﷲ, full-width Latin) become the ordinary letters
   keyboards type.
2. **Invisible characters dropped** — bidi marks (LRM/RLM/ALM, embeddings, isolates),
   zero-width joiner/non-joiner and BOM: pasted Arabic text carries them and they would split
   or hide words.
3. **Diacritics and tatweel dropped** — tashkeel (U+064B–U+0652), superscript alef (U+0670),
   the other Arabic combining marks (U+0653–U+065F, Qur'anic marks U+06D6–U+06ED) and tatweel
   (U+0640): writers rarely vocalise, so "الصِّحَّة" must equal "الصحة", and "مـــركز" is
   "مركز" stretched.
4. **Letter folding** — alef forms أ إ آ ٱ → ا; ؤ → و; ئ → ي; alef maqsura ى → ي; ta marbuta
   ة → ه; Persian/Urdu keheh ک → ك and Farsi yeh ی → ي. These are the spellings people mix up
   (or their keyboards do). A standalone hamza ء is **kept** everywhere: dropping it would make
   "ماء" (water) collide with the particle "ما".
5. **Digits** — every Unicode decimal digit (Arabic-Indic ٠–٩, Persian ۰–۹, Devanagari,
   Malayalam, Bengali…) becomes ASCII, so "١٦٠٠٠" finds "16000".
6. **Case folding** — Latin is lower-cased (``str.casefold``).
7. **Tokens** — runs of letters, combining marks and digits (Unicode categories L, M, N);
   everything else (punctuation, spaces, emoji, symbols) separates words. Marks stay inside
   words because Hindi and Malayalam vowel signs are marks.

Light stemming (only for words in Arabic script; see :func:`stem`):

* one prefix, longest first: وال، بال، كال، فال، لل، ال — the article and the particles glued
  to it — when at least 3 letters remain; then a conjunction و when the word is at least
  5 letters long (so "وزارة" and "الوزارة" both lose it and still meet; short words such as
  "وطن" keep it);
* then up to two suffixes, longest first: ات، ون، ين، ان، يه (ية after folding), ها، هم،
  كم، نا، ه، ي — plural, dual, nisba and pronoun endings — each only when at least 3
  letters remain, because Arabic roots have three letters and a shorter stem matches
  unrelated words. Two rounds let "مستشفيات" (→ مستشفي → مستشف) meet "المستشفى" (→ مستشفي
  → مستشف).
* Latin words lose a plural "s" (not "ss", "us", "is") when 4 letters or longer.

A short list of stop words (Arabic and English function words) is dropped: a query made of a
case subject would otherwise match every article on "في" or "the".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

MAX_QUERY_LENGTH = 500

_INVISIBLE = {
    0x061C,  # Arabic letter mark
    0x200B,
    0x200C,
    0x200D,
    0x200E,
    0x200F,
    0x202A,
    0x202B,
    0x202C,
    0x202D,
    0x202E,
    0x2066,
    0x2067,
    0x2068,
    0x2069,
    0xFEFF,
}
_DIACRITICS = (
    set(range(0x064B, 0x0653))  # tashkeel: fathatan … sukun
    | set(range(0x0653, 0x0660))  # maddah, hamza above/below and other combining marks
    | {0x0670}  # superscript (dagger) alef
    | set(range(0x06D6, 0x06EE))  # Qur'anic annotation marks
    | {0x0640}  # tatweel
)
_FOLD = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ؤ": "و",
    "ئ": "ي",
    "ى": "ي",
    "ة": "ه",
    "ک": "ك",
    "ی": "ي",
}
_TABLE: dict[int, str | None] = {cp: None for cp in _INVISIBLE | _DIACRITICS}
_TABLE.update({ord(k): v for k, v in _FOLD.items()})

_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_SUFFIXES = ("ات", "ون", "ين", "ان", "يه", "ها", "هم", "كم", "نا", "ه", "ي")
_MIN_STEM = 3

# Function words, written as they are after normalisation (ى → ي, أ/إ → ا).
_STOP_WORDS_TEXT = """
    في من الي علي عن مع او ام ان انه لا ما لم لن هل قد ثم كل بعض هذا هذه ذلك تلك هو هي هم
    التي الذي الذين كان كانت يكون عند بين حتي اذا و ب ل ف ك يا
    a an the and or of to in on at for from by with is are was be it this that as not no
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


def _is_arabic_word(word: str) -> bool:
    return all("\u0600" <= ch <= "\u06ff" for ch in word)


def normalize(text: str) -> str:
    """The text with every rule above applied, words separated by single spaces."""
    return " ".join(_words(text))


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).translate(_TABLE).casefold()
    words: list[str] = []
    current: list[str] = []
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Nd":
            current.append(str(unicodedata.decimal(ch)))
        elif category[0] in "LMN":
            current.append(ch)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def stem(word: str) -> str:
    """Light stem of one normalised word (see the module docstring for the rules)."""
    if _is_arabic_word(word):
        return _stem_arabic(word)
    latin_plural = word.endswith("s") and not word.endswith(("ss", "us", "is"))
    if latin_plural and word.isascii() and word.isalpha() and len(word) >= 4:
        return word[:-1]
    return word


def _stem_arabic(word: str) -> str:
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= _MIN_STEM:
            word = word[len(prefix) :]
            break
    if word.startswith("و") and len(word) >= 5:
        word = word[1:]
    for _round in range(2):
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
                word = word[: -len(suffix)]
                break
        else:
            break
    return word


def terms(text: str) -> list[str]:
    """Search terms of a text: normalised, stop words dropped, stemmed, in order."""
    return [stem(word) for word in _words(text) if word not in STOP_WORDS]


def query_terms(text: str) -> list[str]:
    """Distinct terms of a query, in the order typed."""
    return list(dict.fromkeys(terms(text)))


def index_text(text: str) -> str:
    """What is stored for full-text indexing: the terms joined by spaces."""
    return " ".join(terms(text))


def score(query: Iterable[str], *, title: str, body: str) -> float:
    """Relevance of one article to the query terms, the same on every database.

    ``title`` and ``body`` are stored index texts. A term in the title is worth three times a
    term in the body, and each distinct query term counts once, so an article whose title
    names the thing asked about comes first; repeated mentions in the body add a little (log
    scale) so a long article does not win by repetition alone. 0 means "does not match".
    """
    title_terms = title.split()
    body_terms = body.split()
    title_set = set(title_terms)
    total = 0.0
    for term in query:
        if term in title_set:
            total += 3.0
        count = body_terms.count(term)
        if count:
            total += 1.0 + min(count - 1, 9) * 0.05
    return total
