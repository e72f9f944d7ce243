"""Lists inside sentences are joined the way the reader's language joins them (CLDR)."""
import pytest
from flask_babel import force_locale

from core.formatting import list_joiner


def _joined(items):
    return "".join(item + list_joiner(index, len(items)) for index, item in enumerate(items))


@pytest.mark.parametrize("language, expected", [
    ("en", "Peru, Mali, and Morocco"),
    ("fr", "Peru, Mali et Morocco"),
    ("es", "Peru, Mali y Morocco"),
    ("ar", "Peru وMali وMorocco"),
    ("km", "Peru, Mali និង Morocco"),
])
def test_a_list_reads_as_the_language_writes_it(app, language, expected):
    with app.test_request_context(), force_locale(language):
        assert _joined(["Peru", "Mali", "Morocco"]) == expected
        assert _joined(["Peru"]) == "Peru"


def test_two_items_take_the_pair_pattern(app):
    with app.test_request_context(), force_locale("fr"):
        assert _joined(["Peru", "Mali"]) == "Peru et Mali"
