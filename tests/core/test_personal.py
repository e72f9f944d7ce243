"""core.personal: a page rendered once for a stand-in, then filled in for each member."""
import pytest
from flask import Flask, g, render_template_string
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect, generate_csrf

from core import personal

PAGE = ("<p>{{ current_user.name }}</p>{{ slot_open('who') }}<b>{{ current_user.name }}</b>"
        "{{ slot_close() }}<input name=csrf_token value=\"{{ csrf_token() }}\">")


class Person:
    is_authenticated, is_active, is_anonymous = True, True, False

    def __init__(self, name):
        self.name = name

    def get_id(self):
        return self.name


@pytest.fixture
def bare():
    """An application with sessions, CSRF tokens, Flask-Login and the slot markers."""
    app = Flask(__name__)
    app.config.update(SECRET_KEY="test", PAGE_CACHE_SECONDS=60)
    CSRFProtect(app)
    LoginManager(app).user_loader(Person)
    personal.init_app(app)
    return app


def test_a_page_rendered_for_a_stand_in_is_filled_in_for_the_member(bare):
    with bare.test_request_context():
        g._login_user = Person("Aïcha")
        token = generate_csrf()
        with personal.rendering_as(Person("stand-in")) as shared:
            assert current_user.name == "stand-in"
            page = shared(render_template_string(PAGE), kept=1)
        # The member is the current user again, with their own token.
        assert current_user.name == "Aïcha" and generate_csrf() == token
        assert page.data == {"kept": 1} and page.parts[1] == "who"
        filled = page.fill({"who": "<b>Aïcha</b>"})
    assert filled == f'<p>stand-in</p><b>Aïcha</b><input name=csrf_token value="{token}">'
    assert "stand-in" not in filled.partition("</p>")[2]


def test_outside_a_shared_rendering_slots_leave_no_trace(bare):
    with bare.test_request_context():
        g._login_user = Person("Aïcha")
        assert "<!--" not in render_template_string(PAGE)


def test_a_slot_left_open_is_never_served(bare):
    with bare.test_request_context():
        with personal.rendering_as(Person("stand-in")) as shared:
            with pytest.raises(ValueError):
                shared(render_template_string("<p>{{ slot_open('who') }}</p>"))
