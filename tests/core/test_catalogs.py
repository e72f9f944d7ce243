"""The catalogs are complete in all six languages, and stay so: every string of the code and
templates (and WTForms' messages) is translated, not fuzzy, with its placeholders and markup."""
import pytest
from babel.messages.catalog import Message

from core import catalogs
from core.config import LANGUAGES


@pytest.fixture(scope="module")
def template():
    return catalogs.extract()


def test_the_template_finds_the_strings_of_code_templates_and_wtforms(template):
    ids = {message.id for message in template}
    assert "Ask a question" in ids                       # a template
    assert "Sign in to continue." in ids                 # a module-level _l
    assert "This field is required." in ids              # WTForms
    assert "Please correct the fields marked below." in ids   # templates/_macros
    assert ("%(num)s vote", "%(num)s votes") in ids      # a plural
    assert len(ids) > 400


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated_in_every_language(language, template):
    found = catalogs.problems(language, template)
    assert not found, f"{len(found)} problems in {language}, e.g.:\n" + "\n".join(found[:40])


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_mo_file_is_compiled_from_the_po(language):
    # The application reads the .mo files; a .po changed without `flask translate compile`
    # would leave readers with the old text (README, "Languages").
    assert catalogs.compiled(language) == catalogs.compiled_from_po(language), (
        f"core/translations/{language}: run `flask --app wsgi translate compile`")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalog_holds_no_string_the_code_no_longer_has(language, template):
    wanted = {(message.id, message.context) for message in template}
    extra = [message.id for message in catalogs.read(language)
             if message.id and (message.id, message.context) not in wanted]
    assert not extra, f"run `flask --app wsgi translate update`: {extra[:10]}"


def test_the_template_on_disk_is_the_one_the_code_gives(template):
    on_disk = {message.id for message in catalogs.read_template() if message.id}
    assert on_disk == {message.id for message in template if message.id}


# The checks themselves: each problem the completeness test relies on is found.

def _problems(source_id, string, num_plurals=2, flags=()):
    source = Message(source_id)
    translated = Message(source_id, string, flags=flags)
    return list(catalogs._message_problems(source, translated, num_plurals))


def test_an_empty_translation_is_a_problem():
    assert _problems("Sign in", "") == ["empty"]
    assert _problems("Sign in", "   ") == ["empty"]


def test_a_fuzzy_translation_is_a_problem():
    assert "fuzzy" in _problems("Sign in", "Se connecter", flags=("fuzzy",))


def test_a_lost_renamed_or_added_placeholder_is_a_problem():
    assert _problems("Asked by %(name)s", "Posée par quelqu'un")
    assert _problems("Asked by %(name)s", "Posée par %(nom)s")
    assert _problems("%(n)s results", "%(n)s résultats pour %(q)s")
    assert _problems("{count} left", "il en reste")
    assert not _problems("Asked by %(name)s on %(date)s", "Le %(date)s, par %(name)s")


def test_changed_markup_is_a_problem():
    assert _problems('Read <a href="%(url)s">the guide</a>', 'Lisez le guide %(url)s')
    assert _problems("<strong>Warning</strong>", "<em>Attention</em>")
    assert not _problems('Read <a href="%(url)s">the guide</a>',
                         'Lisez <a href="%(url)s">le guide</a>')


def test_plural_forms_must_all_be_there_and_may_spell_the_count():
    source = ("%(num)s vote by %(name)s", "%(num)s votes by %(name)s")
    assert _problems(source, ("un vote", "", ""), num_plurals=3)
    assert _problems(source, ("un vote", "%(num)s votes"), num_plurals=3)
    # Spelling "one" is fine; dropping the name is not.
    assert not _problems(source, ("صوت واحد من %(name)s", "%(num)s أصوات من %(name)s"))
    assert _problems(source, ("صوت واحد", "%(num)s أصوات من %(name)s"))


def test_an_install_without_make_gets_the_compiled_catalogs(tmp_path):
    # `pip install .` then gunicorn (README, "Deployment"): the wheel carries the .mo files.
    import subprocess
    import sys
    import zipfile
    from core.config import PROJECT_ROOT
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(PROJECT_ROOT), "--no-deps", "-q",
                    "-w", str(tmp_path)], check=True, capture_output=True, timeout=240)
    wheel, = tmp_path.glob("carnets-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for language in LANGUAGES:
        assert f"core/translations/{language}/LC_MESSAGES/messages.mo" in names

