"""The message catalogs: extracting the strings, updating and compiling the catalogs, checking them.

English is the source language. `flask translate` (core/translate_cli.py) and the completeness
test (tests/core/test_catalogs.py) both use these functions, so what the test demands is what
the commands produce.
"""
import copy
import os
import re
from gettext import GNUTranslations
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from wtforms.i18n import messages_path

from core.config import LANGUAGES, PROJECT_ROOT

TRANSLATIONS = PROJECT_ROOT / "core" / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
SOURCE_LANGUAGE = "en"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
            "N_": None, "pgettext": ((1, "c"), 2), "npgettext": ((1, "c"), 2, 3)}
# WTForms' own messages ("This field is required.", "Not a valid choice.") reach users through
# our catalog (core.forms.Form.Meta), so they are translated with ours and checked with ours.
WTFORMS_COMMENT = "WTForms message"

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{(\w*)\}|%[sdif]")
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")
# Babel's default filter skips every folder whose name starts with "_", which would leave out
# templates/_macros; only what is not the project's own is skipped.
_NOT_SOURCES = {".git", ".venv", "node_modules", "instance", "__pycache__", "build"}


def _sources_only(dirname):
    return os.path.basename(dirname) not in _NOT_SOURCES


# The count that ngettext passes itself: a language may spell "one" instead of writing 1.
COUNT_NAMES = {"num"}


def po_path(language):
    """Path of the catalog of `language`."""
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


def mo_path(language):
    """Path of the compiled catalog of `language`."""
    return po_path(language).with_suffix(".mo")


def extract():
    """A fresh template: every string of the code and templates, and WTForms' messages."""
    with open(PROJECT_ROOT / "babel.cfg", encoding="utf-8") as mapping:
        method_map, options_map = parse_mapping_cfg(mapping)
    template = Catalog(project="Carnets", copyright_holder="Carnets", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
            str(PROJECT_ROOT), method_map, options_map, keywords=KEYWORDS,
            comment_tags=("NOTE",), strip_comment_tags=True, directory_filter=_sources_only):
        template.add(message, None, [(filename, lineno)], auto_comments=comments,
                     context=context, flags=_format_flags(message))
    with open(Path(messages_path()) / "wtforms.pot", "rb") as pot:
        for message in read_po(pot):
            if message.id and message.id not in template:
                template.add(message.id, None, auto_comments=[WTFORMS_COMMENT],
                             flags=message.flags)
    return template


def _format_flags(message):
    text = " ".join(message) if isinstance(message, tuple) else message
    return ("python-format",) if _PLACEHOLDER.search(text) else ()


def read(language):
    """The catalog of `language` as stored."""
    with open(po_path(language), "rb") as po:
        return read_po(po, locale=language)


def read_template():
    """The template as stored (messages.pot)."""
    with open(TEMPLATE, "rb") as pot:
        return read_po(pot)


def update(template=None):
    """Write the template and merge it into every catalog; English gets its source text."""
    template = template or extract()
    with open(TEMPLATE, "wb") as pot:
        write_po(pot, template, sort_output=True)
    for language in LANGUAGES:
        if po_path(language).exists():
            catalog = read(language)
            # update() may share the template's messages; each catalog gets its own copy.
            catalog.update(copy.deepcopy(template), update_header_comment=False)
        else:
            po_path(language).parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=language, project="Carnets", charset="utf-8")
            catalog.update(copy.deepcopy(template))
        if language == SOURCE_LANGUAGE:
            _fill_source(catalog)
        with open(po_path(language), "wb") as po:
            write_po(po, catalog, sort_output=True, ignore_obsolete=True, width=100)


def _fill_source(catalog):
    for message in catalog:
        if not message.id:
            continue
        message.flags.discard("fuzzy")
        message.string = (message.id if not message.pluralizable
                          else tuple(message.id[min(i, 1)] for i in range(catalog.num_plurals)))


def compile_all():
    """Compile every catalog to its .mo file (committed: see README, "Languages")."""
    for language in LANGUAGES:
        catalog = read(language)
        with open(mo_path(language), "wb") as mo:
            write_mo(mo, catalog, use_fuzzy=False)


def compiled(language):
    """The messages of the committed .mo file of `language`."""
    with open(mo_path(language), "rb") as mo:
        return GNUTranslations(mo)._catalog


def compiled_from_po(language):
    """The messages that compiling the .po of `language` gives now."""
    buffer = BytesIO()
    write_mo(buffer, read(language), use_fuzzy=False)
    buffer.seek(0)
    return GNUTranslations(buffer)._catalog


def placeholders(text):
    """The placeholders of a message, as a set ("%(name)s" → "name", "{count}" → "count")."""
    return {named or braced or "%" for named, braced in _PLACEHOLDER.findall(text)}


def tags(text):
    """The HTML tag names of a message, sorted (to compare a translation's markup)."""
    return sorted(name.lower() for name in _TAG.findall(text))


def problems(language, template=None):
    """What keeps the catalog of `language` from being complete, one line per problem."""
    template = template or extract()
    catalog = read(language)
    found = []
    for message in template:
        if not message.id:
            continue
        key = message.id[0] if message.pluralizable else message.id
        translated = catalog.get(message.id, context=message.context)
        if translated is None:
            found.append(f"{language}: missing: {key!r}")
            continue
        found.extend(f"{language}: {problem}: {key!r}"
                     for problem in _message_problems(message, translated, catalog.num_plurals))
    return found


def _message_problems(source, translated, num_plurals):
    if "fuzzy" in translated.flags:
        yield "fuzzy"
    if source.pluralizable:
        forms = translated.string if isinstance(translated.string, (list, tuple)) else ()
        if len(forms) != num_plurals or not all(form.strip() for form in forms):
            yield f"needs {num_plurals} plural forms"
            return
        wanted = placeholders(source.id[0]) | placeholders(source.id[1])
        for form in forms:
            if not (wanted - COUNT_NAMES) <= placeholders(form) <= wanted:
                yield f"placeholders {sorted(placeholders(form))} instead of {sorted(wanted)}"
            if tags(form) != tags(source.id[1]):
                yield "markup differs"
        return
    if not isinstance(translated.string, str) or not translated.string.strip():
        yield "empty"
        return
    if placeholders(translated.string) != placeholders(source.id):
        yield (f"placeholders {sorted(placeholders(translated.string))} "
               f"instead of {sorted(placeholders(source.id))}")
    if tags(translated.string) != tags(source.id):
        yield "markup differs"
