"""Sentences of an article: spaCy's rule-based sentencizer with the rules news text needs
(docs/design.md, Canonical text).

The article is cut at every line break (a line break always ends a sentence); each line
goes through spaCy's ``sentencizer`` on a blank pipeline of the article's language (the
multi-language ``xx`` one when spaCy has no pipeline for it; Chinese and Japanese are cut
into characters, spaCy's Chinese character segmenter, and take the sentencizer's built-in
end marks, such as ``。！？``: no downloaded model, no optional package). The
sentencizer ends a sentence after ``.``, ``!``, ``?`` and the like plus any punctuation that
follows, which in news text goes wrong in three ways; :func:`news_boundaries` mends them:

- **an opening quotation mark stays with its sentence**: ``… in a statement. “We …`` puts
  the ``“`` at the end of the sentence before; a quotation mark (or an opening bracket)
  that touches the next sentence's first word and has whitespace before it, or is an
  opening mark (``“ ‘ « „ 「 『 ( [ ¿ ¡``) touching both, moves to the next sentence;
- **no split after the abbreviations of news** (English): titles and ranks (``Sgt. Lt. Col.
  Gen. Gov. Sen. Rep. Dr. Mr. Mrs. Supt.`` …), ``No.`` and months (``Jan. Aug. Sept.`` …)
  before a number, ``St. Ft. Mt.`` before a name, and an initial (``John F. Kennedy``) in
  any language (spaCy's English tokenizer keeps some of these, ``Dr.``, ``Gov.``, ``St.``,
  as one token, so the sentencizer never splits after them: not even at ``Main St. It``);
- **no split inside a sentence that goes on**: where the next piece starts with a
  lower-case letter (Latin, Greek, Cyrillic or Armenian script: ``“I love crêpes!” she
  said``, ``talks dragged on... and``), or the piece before ends with ``, ; :`` or a dash;

and one it adds: an English sentence that ends with a dotted abbreviation (``… in the
U.S.``) ends there when the next word is a common sentence opener (``The``, ``He``, ``It``,
…), which spaCy's tokenizer (``U.S.`` is one token) never splits.

The rules are measured against the other candidates on real news sentences
(``scripts/compare_segmenters.py``, docs/performance.md, Sentence segmentation). Offsets are
code points, end-exclusive.
"""

from __future__ import annotations

import re
from functools import cache

from newscorpus.core.models import Segmenter, Sentence

__all__ = ["SEGMENTER_NAME", "RULES_VERSION", "segment", "segmenter_info", "news_boundaries", "sentencizer_starts"]

#: The segmenter's name, as records and ``[segmenter] name`` in newscorpus.toml give it.
SEGMENTER_NAME = "spacy.sentencizer+news"
#: The version of the rules of :func:`news_boundaries`; any change to what they decide is a new one.
RULES_VERSION = "1"

_NON_BLANK = re.compile(r"\S")
#: Marks that open a quotation or an aside wherever they stand.
_OPENERS = frozenset("“‘«„‚「『《〈([¿¡")
#: Marks that open one only after whitespace (they also close one: ``"``, ``'``, ``”``, ``’``, ``»``).
_EITHER = frozenset("\"'”’»")
_TITLES = ("Adm|Atty|Brig|Capt|Cmdr|Col|Cpl|Det|Dr|Gen|Gens|Gov|Hon|Insp|Lt|Maj|Messrs|Mr|Mrs|Ms|Msgr|Pfc|Pres|"
           "Prof|Pvt|Rep|Reps|Rev|Sen|Sens|Sgt|Sgts|Spc|Supt")
_BEFORE_NUMBER = "No|Nos|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Vol|Art|Sec|Fig|pp|p"
_BEFORE_NAME = "Ft|Mt|St"
_EN_ABBREVIATION = re.compile(rf"(?:^|(?<=[\s(\[“‘\"'—–-]))(?:(?P<title>{_TITLES})|(?P<number>{_BEFORE_NUMBER})|(?P<name>{_BEFORE_NAME}))\.$")
_INITIAL = re.compile(r"(?:^|(?<=[\s(\[“‘\"']))[A-Z]\.$")
_CONTINUES = frozenset(",;:—–-")
_EN_OPENER = re.compile(
    r"(?<=[A-Z]\.[A-Z]\.)\s+(?=(?:The|A|An|He|She|It|They|We|I|But|In|On|At|This|That|These|Those|His|Her|Its|"
    r"Their|There|According|After|Before|When|While|However|Meanwhile)\b)"
)


def _lower_start(ch: str) -> bool:
    """Whether ``ch`` is a lower-case letter of a script whose sentences start upper-case
    (Latin, Greek, Cyrillic, Armenian; Georgian letters are lower-case too, but its
    sentences are not capitalised)."""
    code = ord(ch)
    return ch.islower() and (code < 0x0590 or 0x1E00 <= code < 0x2000)


def _first_letter(line: str, at: int, end: int) -> str:
    """The first character of ``line[at:end]`` after opening marks and whitespace, or ''."""
    while at < end and (line[at] in _OPENERS or line[at] in _EITHER or line[at].isspace()):
        at += 1
    return line[at] if at < end else ""


def _opening_marks(line: str, start: int, floor: int) -> int:
    """``start`` moved back over the opening marks that touch it (not before ``floor``)."""
    while start > floor + 1:
        ch, before = line[start - 1], line[start - 2]
        if ch in _OPENERS or (ch in _EITHER and (before.isspace() or before in _OPENERS)):
            start -= 1
        else:
            break
    return start


def _goes_on(line: str, head_start: int, start: int, end: int, english: bool) -> bool:
    """Whether the sentence ``line[head_start:start]`` goes on into ``line[start:end]``."""
    head = line[head_start:start].rstrip()
    if not head:
        return True
    if head[-1] in _CONTINUES:
        return True
    first = _first_letter(line, start, end)
    if first and _lower_start(first):
        return True
    if head[-1] != ".":
        return False
    if _INITIAL.search(head) and first.isupper():
        return True
    if english:
        found = _EN_ABBREVIATION.search(head)
        if found is not None:
            if found["title"]:
                return True
            if found["number"]:
                return first.isdigit()
            return first.isupper()  # Ft., Mt., St. before a name
    return False


def news_boundaries(line: str, starts: list[int], *, language: str = "en") -> list[int]:
    """The sentence starts of ``line`` (one line: no line break) after the news rules of
    this module, from the sentencizer's ``starts`` (code point offsets into ``line`` of
    every sentence but the first, ascending). Returns the new starts, ascending, each at a
    non-blank character; the first sentence's start (0) is never listed."""
    english = language.split("-")[0].lower() == "en"
    if english:
        extra = [m.end() for m in _EN_OPENER.finditer(line)]
        if extra:
            starts = sorted(set(starts).union(extra))
    out: list[int] = []
    head_start = 0
    n = len(starts)
    for i, start in enumerate(starts):
        start = _opening_marks(line, start, head_start)
        end = starts[i + 1] if i + 1 < n else len(line)
        if start <= head_start or _goes_on(line, head_start, start, end, english):
            continue
        out.append(start)
        head_start = start
    return out


#: Languages whose blank pipeline would need an optional package (SudachiPy): the pipeline
#: and config used instead, a tokenizer whose tokens are characters, so ``。`` ends a sentence.
_INSTEAD = {"ja": ("zh", {"nlp": {"tokenizer": {"@tokenizers": "spacy.zh.ChineseTokenizer", "segmenter": "char"}}})}


@cache
def _nlp(language: str):
    import spacy

    lang = language.split("-")[0].lower()
    pipeline, config = _INSTEAD.get(lang, (lang, {}))
    try:
        nlp = spacy.blank(pipeline, config=config)
    except (ImportError, KeyError, ValueError):  # a language spaCy has no rules for, or that needs a package
        nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    return nlp


def sentencizer_starts(lines: list[str], *, language: str = "en") -> list[list[int]]:
    """spaCy's sentencizer alone: for each line, the code point offsets at which a sentence
    other than the first starts (a token the sentencizer marks as a sentence start)."""
    from spacy.attrs import IDX, SENT_START

    nlp = _nlp(language)
    sentencizer = nlp.get_pipe("sentencizer")
    out = []
    for doc in nlp.tokenizer.pipe(lines):  # the pipeline's two steps, without nlp.pipe's batching (a third slower)
        arr = sentencizer(doc).to_array([SENT_START, IDX])
        out.append([idx for flag, idx in arr[1:].tolist() if flag == 1])
    return out


def segmenter_info() -> Segmenter:
    """The segmenter's name and version, as records keep them: :data:`SEGMENTER_NAME` and
    ``<spaCy version>+rules.<RULES_VERSION>`` (e.g. ``3.8.18+rules.1``)."""
    import spacy

    return Segmenter(name=SEGMENTER_NAME, version=f"{spacy.__version__}+rules.{RULES_VERSION}")


def segment(text: str, *, language: str = "en") -> list[Sentence]:
    """Split ``text`` into sentences with ids ``s0``, ``s1``, ... in text order.

    ``language`` is a BCP-47 tag (its primary subtag picks spaCy's pipeline and whether the
    English abbreviations apply). Offsets are code points, end-exclusive; every sentence is
    trimmed of whitespace at its edges, and every non-blank character of ``text`` lies in
    exactly one sentence.
    """
    bases: list[int] = []
    lines: list[str] = []
    pos = 0
    for line in text.split("\n"):
        if _NON_BLANK.search(line):
            bases.append(pos)
            lines.append(line)
        pos += len(line) + 1
    sentences: list[Sentence] = []
    for base, line, starts in zip(bases, lines, sentencizer_starts(lines, language=language)):
        cuts = [0, *news_boundaries(line, starts, language=language), len(line)]
        for a, b in zip(cuts, cuts[1:]):
            chunk = line[a:b]
            stripped = chunk.strip()
            if not stripped:
                continue
            start = base + a + (len(chunk) - len(chunk.lstrip()))
            sentences.append(Sentence(id=f"s{len(sentences)}", start=start, end=start + len(stripped)))
    return sentences
