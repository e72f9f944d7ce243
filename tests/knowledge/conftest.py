"""Fixtures of the knowledge tests."""
import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask_babel import get_babel

from core.extensions import babel


@pytest.fixture
def translations(app, tmp_path, monkeypatch):
    """translations({"fr": {msgid: msgstr}}): these translations take effect for the test,
    over the project's catalogs (which translators fill in parallel), so that a test of "in
    the article's language" does not depend on the state of a catalog."""

    def install(by_language):
        folder = tmp_path / "translations"
        for language, messages in by_language.items():
            catalog = Catalog(locale=language)
            for msgid, msgstr in messages.items():
                catalog.add(msgid, msgstr)
            path = folder / language / "LC_MESSAGES"
            path.mkdir(parents=True, exist_ok=True)
            with open(path / "messages.mo", "wb") as handle:
                write_mo(handle, catalog)
        # Later directories win (flask_babel merges them in order); a fresh cache, restored
        # after the test, so that no other test sees these translations.
        with app.app_context():
            config, domain = get_babel(app), babel.domain_instance
        monkeypatch.setattr(config, "translation_directories",
                            [*config.translation_directories, str(folder)])
        monkeypatch.setattr(domain, "cache", {})

    return install
