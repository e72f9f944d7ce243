"""Finds what could identify a child in a text: phones, e-mails, dates of birth, addresses,
identity or case numbers and person names (issue 15, the confidentiality guard).

Pure functions over text; the cue words are in patterns.py, one table per language.
"""
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

from core.confidentiality.patterns import (
    ID_NUMBER_FORMATS, INSTITUTION_WORDS, PATTERNS, PHONE_REGIONS, STOP_LIST, WEEKDAYS)

KINDS = ("phone", "email", "birth_date", "address", "id_number", "name")


@dataclass(frozen=True)
class Match:
    """One finding: its kind (see KINDS) and where it is in the text."""
    kind: str
    start: int
    end: int
    text: str


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
# A word: letters (any script) with inner apostrophes or hyphens; combining marks included,
# so Arabic vowel signs and Khmer subscripts stay inside their word.
WORD = r"[^\W\d_](?:[\w\u0300-\u036f\u0610-\u061a\u064b-\u065f\u17b4-\u17d3]|['’-](?=\w))*"
# Characters that end a sentence, in the scripts of the content languages.
SENTENCE_END = ".!?…:;؟។៕\n\"«»“”()"
# Letters of scripts without spaces between words (Khmer): a name runs to the next space.
KHMER = "\u1780-\u17ff"


def _fold(word):
    """Lower case without accents, to compare words whatever the author typed."""
    decomposed = unicodedata.normalize("NFD", word.casefold().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _alternation(phrases):
    """A regex alternative of phrases, longest first, spaces as any run of white space."""
    parts = sorted({p for p in phrases}, key=len, reverse=True)
    return "|".join(r"\s+".join(_letters(w) for w in p.split()) for p in parts)


def _letters(word):
    """A word as a regex; in Arabic, the vowel signs and the tatweel an author may add
    between its letters are allowed ("وُلدت" for "ولدت")."""
    if not re.search("[\u0600-\u06ff]", word):
        return re.escape(word)
    return ARABIC_MARKS.join(re.escape(ch) for ch in word)


ARABIC_MARKS = "[\u0640\u064b-\u065f\u0670]*"


def _cue(phrases):
    """A regex matching one of the phrases as whole words; in Khmer, written without
    spaces between words, anywhere."""
    body = _alternation(phrases).replace("'", "['’]")
    if any(re.search(f"[{KHMER}]", p) for p in phrases):
        return f"(?:{body})"
    return rf"(?<![\w])(?:{body})(?![\w])"


# Acronyms are compared as written: "NGO" is an organisation, "Ngô" may be a family name.
STOP = frozenset(_fold(s) for s in STOP_LIST if not s.isupper())
ACRONYMS = frozenset(s for s in STOP_LIST if s.isupper())
INSTITUTIONS = frozenset(_fold(w) for w in INSTITUTION_WORDS)
DAYS = frozenset(_fold(w) for w in WEEKDAYS)
ALL_MONTHS = frozenset(_fold(m) for p in PATTERNS.values() for m in p.months)
ALL_COMMON = frozenset(_fold(w) for p in PATTERNS.values() for w in p.common_words)
ID_FORMATS = [re.compile(f) for f in ID_NUMBER_FORMATS]
# Little words inside a name: "Rachid El Amrani", "María de los Ángeles", "Ben Salah".
PARTICLES = frozenset(("el", "al", "ben", "bin", "ould", "de", "da", "del", "dos", "das",
                       "van", "von", "la", "le", "los", "y"))
SHORT_NUMBER = re.compile(r"^\+?\d{2,4}$")


@dataclass(frozen=True)
class _Compiled:
    trigger: re.Pattern
    address: re.Pattern
    birth: re.Pattern
    id_cue: re.Pattern
    landmark: re.Pattern
    first_name: re.Pattern
    naming: tuple
    streets: frozenset
    vague: frozenset
    common: frozenset
    caseless: bool


@lru_cache(maxsize=None)
def _compiled(lang):
    """The regular expressions of one language, built once."""
    p = PATTERNS.get(lang) or PATTERNS["en"]
    months = _alternation(p.months)
    day = r"\d{1,2}(?:er|st|nd|rd|th|º|°)?"
    year = r"\d{4}"
    # \d matches every script's digits (Arabic-Indic, Khmer) in Python's re.
    numeric = r"\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})"
    sep = r"(?:\s+|\s*(?:de|del|of|ខែ|ឆ្នាំ|,)\s*)"
    written = (
        rf"(?:{day}{sep}(?:{months})\.?(?:{sep}{year})?"   # 12 mars 2014, 12 de marzo de 2014
        rf"|(?:{months})\.?\s+{day}(?:,?\s+{year})?"        # March 12, 2014
        rf"|(?:{months})\s+{year})"                         # mars 2014
    )
    date = rf"(?:{numeric}|{written}|ថ្ងៃទី\s*{day}\s*ខែ\s*(?:{months}|\d+)(?:\s*ឆ្នាំ\s*{year})?)"
    birth = _cue(p.birth_cues)
    # The date may follow the cue after a few words ("née à Douala le 3 mai 2012").
    gap = r"(?:[^\n.!?؟។]{0,40}?)"
    return _Compiled(
        trigger=re.compile(_cue(p.name_triggers), re.IGNORECASE),
        address=re.compile(_cue(p.address_cues), re.IGNORECASE),
        birth=re.compile(rf"{birth}{gap}(?P<date>{date})(?!\d)", re.IGNORECASE),
        id_cue=re.compile(
            _cue(p.id_cues)
            + r"\s*(?:n°|no\.?|nº|num\.?|number|número|numéro|:|#|رقم|លេខ)?\s*[:#]?\s*"
            r"(?P<id>[A-Z]{0,8}[-/ ]?\d[\d\-/ ]{3,18}\d)",
            re.IGNORECASE),
        landmark=re.compile(
            (rf"(?:{_alternation(p.landmarks)})" if p.caseless else
             rf"(?<![\w])(?:{_alternation(p.landmarks)})") if p.landmarks else r"(?!x)x",
            re.IGNORECASE),
        first_name=re.compile(
            rf"(?<![\w])(?:{_alternation(p.first_names)})(?![\w])" if p.first_names
            else r"(?!x)x"),
        naming=tuple(p.naming_words),
        streets=frozenset(_fold(w) for w in p.streets),
        vague=frozenset(_fold(w) for w in p.vague),
        common=frozenset(_fold(w) for w in p.common_words),
        caseless=p.caseless,
    )


def find(text, lang):
    """Every match in text, in order; lang picks the table of cue words (English if unknown)."""
    if not text:
        return []
    c = _compiled(lang)
    found = []
    found += _phones(text)
    found += [Match("email", m.start(), m.end(), m.group()) for m in EMAIL.finditer(text)]
    found += [Match("birth_date", m.start(), m.end("date"), text[m.start():m.end("date")])
              for m in c.birth.finditer(text)]
    found += _id_numbers(text, c)
    found += _addresses(text, c)
    found += _names(text, c)
    return without_overlaps(found, text)


def _phones(text):
    """Phone numbers valid in one of the partner countries; short service numbers excluded."""
    spans = {}
    for region in PHONE_REGIONS:
        for m in phonenumbers.PhoneNumberMatcher(text, region, phonenumbers.Leniency.VALID):
            digits = re.sub(r"\D", "", m.raw_string)
            if "/" in m.raw_string:  # a file number or a date, never written in a phone
                continue
            if re.fullmatch(r"(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}", m.raw_string.strip()):
                continue  # a span of years: "2024-2025"
            # Part of a reference such as CP-2023-0457 (the matcher skips the letters).
            before = text[max(0, m.start - 2):m.start]
            if before[-1:].isalnum() or (before[-1:] in "-/" and before[:1].isalnum()):
                continue
            if len(digits) < 8 or SHORT_NUMBER.match(m.raw_string.strip()):
                continue
            spans.setdefault((m.start, m.end), Match("phone", m.start, m.end, m.raw_string))
    return list(spans.values())


def _id_numbers(text, c):
    """Numbers of a known identity or case-file format, or any number after an id cue."""
    found = [Match("id_number", m.start(), m.end(), m.group())
             for f in ID_FORMATS for m in f.finditer(text)]
    for m in c.id_cue.finditer(text):
        number = m.group("id").strip()
        digits = re.sub(r"\D", "", number)
        # A year or a count after "numéro" is not an identifier.
        if len(digits) < 5 or re.fullmatch(r"(?:19|20)\d{2}", digits):
            continue
        if LAW.search(text[max(0, m.start() - 25):m.start()]):
            continue
        found.append(Match("id_number", m.start("id"), m.start("id") + len(number), number))
    return found


def _words(text):
    return [(m.start(), m.end(), m.group()) for m in re.finditer(WORD, text)]


def _at_sentence_start(text, start):
    """True when only spaces, quotes or bullets separate start from a sentence end; a
    markdown quote or heading mark (">", "#") or table bar starts a line's sentence too."""
    i = start - 1
    while i >= 0 and (text[i].isspace() or text[i] in "-*•–—'‘’>#|"):
        if text[i] == "\n":
            return True
        i -= 1
    return i < 0 or text[i] in SENTENCE_END


def _capitalised(word):
    """A name-like word: an upper-case letter then letters (all capitals allowed)."""
    return word[0].isupper() and len(word) > 1 and (
        any(ch.islower() for ch in word) or len(word) >= 3)


def _ordinary(word, c):
    """Words a name is not made of: places, organisations, months, days, common words."""
    f = _fold(word)
    return (f in STOP or word in ACRONYMS or f in INSTITUTIONS or f in ALL_MONTHS or f in DAYS
            or (f in ALL_COMMON and f not in PARTICLES) or (word.isupper() and len(word) <= 6))


UPPER = r"(?-i:[A-ZÀ-ÖØ-ÞĀ-Ž])"
# Words between a place cue and what it points at: articles and up to three other words.
LEAD = (r"[ \t:]*(?:(?:[^\W\d_]{1,14}(?:['’-][^\W\d_]+)*['’]?[ \t]*){0,4}?)")
# Only articles and such between a street word and the street's name.
STREET_LEAD = r"[ \t:]*(?:(?:[^\W\d_]{1,3}['’]?[ \t]*){0,2}?)"
UNIT = re.compile(r"\d+\s*(?:%|ans\b|years?\b|años\b|taona\b|h\b|min\b|km\b|m\b|ora\b"
                  r"|سنة|سنوات|ساعة|طفل|أطفال|درهم|នាក់|ឆ្នាំ|ខែ|ថ្ងៃ|ម៉ោង|ដុល្លារ|រៀល|គីឡូ)",
                  re.IGNORECASE)
# A law or an article is cited by a number that is no one's file: "loi n° 2007-023".
LAW = re.compile(r"(?i:loi|law|ley|lalàna|lalana|décret|decree|decreto|article|artículo"
                 r"|قانون|مرسوم|المادة|ច្បាប់|អនុក្រឹត្យ|មាត្រា)")


def _addresses(text, c):
    """A place cue followed, within a few words, by a proper noun, a number or a landmark."""
    found = []
    for m in c.address.finditer(text):
        rest = text[m.end():m.end() + 70]
        end = None
        if c.caseless:
            # No capitals to go by: a number close by, or a landmark, or (Arabic) the place's
            # name, the next words.
            # Street words take a number ("ផ្លូវ២៧១") or, in Arabic, the street's name
            # ("زنقة الياسمين"); other cues a landmark ("خلف محطة").
            if _fold(m.group()) in c.streets:
                number = re.match(r"[\s:،]*(?:លេខ\s*)?(?:\S+\s+){0,1}?\d+", rest)
                named = re.match(rf"[ \t]+{WORD}", rest) if re.match(
                    "[\u0600-\u06ff]", m.group()) else None
                if number and not UNIT.match(rest[number.end() - 1:]):
                    end = m.end() + number.end()
                elif named:
                    end = m.end() + named.end()
            else:
                landmark = c.landmark.match(rest.lstrip(" :،"))
                if landmark:
                    end = m.end() + len(rest) - len(rest.lstrip(" :،")) + landmark.end()
        else:
            cue = _fold(m.group())
            lead = STREET_LEAD if cue in c.streets else LEAD
            target = re.match(
                lead + rf"(?:(?:n°|no\.?|nº|km)\s*)?(?P<t>\d+[\w/-]*|{UPPER}[\w'’-]+)",
                rest, re.IGNORECASE)
            if target:
                t = target.group("t")
                skip = (not t[0].isdigit() and (_fold(t) in INSTITUTIONS or _fold(t) in DAYS
                                               or _fold(t) in ALL_MONTHS))
                # "près de Douala": a city right after the cue is not an address.
                lead = _fold(rest[:target.start("t")]).split()
                if not t[0].isdigit() and _fold(t) in STOP and all(
                        w in ALL_COMMON or len(w) <= 3 for w in lead):
                    skip = True
                if t[0].isdigit() and UNIT.match(rest[target.start("t"):]):
                    skip = True
                if not skip:
                    end = m.end() + target.end()
            if end is None and cue not in c.streets and cue not in c.vague:
                landmark = re.match(LEAD + rf"(?:{c.landmark.pattern})", rest, re.IGNORECASE)
                if landmark and c.landmark.pattern != r"(?!x)x":
                    end = m.end() + landmark.end()
        if end is not None:
            found.append(Match("address", m.start(), end, text[m.start():end]))
    # A house number before a street word: "27 Rue des Palmiers", "14 زنقة الياسمين".
    for m in re.finditer(r"(?<![\d\w])\d{1,4}(?:\s*,)?\s+(?i:rue|avenue|av\.|street|st\.|road"
                         r"|calle|jirón|jr\.|boulevard|lalana|زنقة|شارع|درب)(?![\w])", text):
        found.append(Match("address", m.start(), m.end(), m.group()))
    return found


def _names(text, c):
    """Names after a trigger word, capitalised sequences of two or more words, and a
    capitalised word the author repeats."""
    found = []
    for m in c.trigger.finditer(text):
        rest = text[m.end():m.end() + 50]
        if c.caseless:
            naming = _fold(m.group()) in {_fold(n) for n in c.naming}
            if not naming and not (rest[:1].isspace() or rest[:1] in ":،"):
                continue
            target = re.match(rf"[\s:،,]*(?:[{KHMER}]+|{WORD})", rest)
        else:
            target = re.match(rf"[\s,:]*(?P<n>{UPPER}[\w'’-]+)", rest)
            if target and _ordinary(target.group("n"), c):
                target = None
        if target and target.group().strip():
            if c.caseless and _fold(target.group().strip(" :،,")) in STOP:
                continue
            end = m.end() + target.end()
            found.append(Match("name", m.start(), end, text[m.start():end]))
    found += [Match("name", m.start(), m.end(), m.group())
              for m in c.first_name.finditer(text)]
    if c.caseless:
        return found + _caseless_names(text, c.common)
    words = _words(text)
    titled = _title_case_lines(text)
    i = 0
    while i < len(words):
        j = i
        while j < len(words) and (_capitalised(words[j][2]) or (
                j > i and _fold(words[j][2]) in PARTICLES)) and (
                j == i or re.fullmatch(r"[ \t]+", text[words[j - 1][1]:words[j][0]])):
            j += 1
        run = words[i:j]
        while run and _fold(run[-1][2]) in PARTICLES:
            run = run[:-1]
        # At the start of a sentence an ordinary word takes a capital: leave it out.
        if run and _at_sentence_start(text, run[0][0]) and _fold(run[0][2]) in ALL_COMMON:
            run = run[1:]
        inner = [w for _, _, w in run if _fold(w) not in PARTICLES]
        phrase = " ".join(w for _, _, w in run)
        if (len(inner) >= 2 and _fold(phrase) not in STOP
                and not any(a <= run[0][0] < b for a, b in titled)
                and not any(_ordinary(w, c) for w in inner)):
            found.append(Match("name", run[0][0], run[-1][1], text[run[0][0]:run[-1][1]]))
        i = max(j, i + 1)
    counts = {}
    for start, end, word in words:
        if _capitalised(word) and not _ordinary(word, c):
            counts.setdefault(word, []).append((start, end))
    for word, spans in counts.items():
        inside = [s for s in spans if not _at_sentence_start(text, s[0])]
        if not inside and _fold(word) in ALL_COMMON:
            continue  # a common word opening sentences and headings: "# La situation"
        if len(spans) >= 3 or (len(spans) >= 2 and inside):
            found += [Match("name", s, e, word) for s, e in spans]
    return found


def _title_case_lines(text):
    """(start, end) of lines written in title case ("How To Approach A Child"), where
    capitals say nothing about names."""
    spans = []
    for m in re.finditer(r"[^\n]+", text):
        # A title has no comma and no sentence inside: "Moussa Diallo, 12 years old. Call
        # Aminata Traoré" is a line of names, not a title.
        if re.search(r"[,;]|[.!?]\s+\S", m.group().strip()):
            continue
        long_words = [w for w in re.findall(WORD, m.group()) if len(w) > 3]
        if len(long_words) >= 4 and sum(w[0].isupper() for w in long_words) >= 0.7 * len(
                long_words):
            spans.append((m.start(), m.end()))
    return spans


def _caseless_names(text, common):
    """In Arabic or Khmer: a word the author repeats three times, and (Khmer) two short
    words standing alone between spaces, the way a family and a given name are written."""
    found = []
    tokens = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[^\s\d.,:;!?،؟។៕«»()]+", text)]
    counts = {}
    for start, end, token in tokens:
        if len(token) >= 2 and not token.isascii() and token not in common:
            counts.setdefault(token, []).append((start, end))
    for token, spans in counts.items():
        if len(spans) >= 3:
            found += [Match("name", s, e, token) for s, e in spans]
    letters = "\u1780-\u17d3"  # Khmer letters and signs, not its digits
    # Overlapping pairs: in "លោក សុខ វិចិត្រ" the title pairs with the name, and so must
    # the name with the family name.
    pair = rf"(?:(?<=\s)|^)(?=([{letters}]{{2,9}} [{letters}]{{2,9}})(?:\s|$|[។៕]))"
    for m in re.finditer(pair, text):
        words = m.group(1)
        first, second = words.split(" ")
        if not (words.startswith(("ខែ", "ថ្ងៃ", "ឆ្នាំ", "ម៉ោង"))
                or first in common or second in common):
            found.append(Match("name", m.start(1), m.end(1), words))
    return found


# Which finding a highlight shows when two overlap: the most specific first.
PRIORITY = {"email": 0, "phone": 1, "birth_date": 2, "id_number": 3, "address": 4, "name": 5}


def without_overlaps(found, text):
    """Matches in text order; of two that overlap, the more specific kind, then the longer,
    is kept."""
    kept = []
    for m in sorted(found, key=lambda m: (PRIORITY[m.kind], m.start - m.end, m.start)):
        if all(m.end <= k.start or m.start >= k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)
