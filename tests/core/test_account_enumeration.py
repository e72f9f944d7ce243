"""Who has an account: neither the time sign-in takes nor the messages of registration and
profile edit may tell a stranger that a name or an e-mail address belongs to someone."""
import statistics
import time

from core.accounts import services
from core.extensions import db
from tests.conftest import PASSWORD
from tests.core.forms_html import field_errors, form_errors

EMAIL_REFUSED = "This e-mail address cannot be used."


def _login_time(client, name):
    # The CPU time of this thread (the test client serves the request in it): what the server
    # spends on the request, without the noise of other processes sharing the machine.
    started = time.thread_time()
    response = client.post("/auth/login", data={"username": name, "password": "wrong guess 1"})
    elapsed = time.thread_time() - started
    assert response.status_code == 400  # refused: a wrong password
    return elapsed


def test_unknown_name_takes_as_long_as_a_wrong_password(separate_app, monkeypatch):
    """With the real KDF (scrypt), a name nobody has must not answer faster or slower than a
    known name with a wrong password: the difference would tell who has an account."""
    monkeypatch.delenv("PASSWORD_HASH_METHOD", raising=False)
    app = separate_app(without=("PASSWORD_HASH_METHOD",), WTF_CSRF_ENABLED=False)
    assert app.config["PASSWORD_HASH_METHOD"] == "scrypt"
    with app.app_context():
        services.create_user("Amina", "amina@example.org", PASSWORD)
    client = app.test_client()
    known, unknown = [], []
    _login_time(client, "nobody-warm-up")  # the first request of a process pays for imports
    for attempt in range(9):
        # Interleaved, so that a slow moment of the machine weighs on both series alike.
        known.append(_login_time(client, "Amina"))
        unknown.append(_login_time(client, f"nobody{attempt}"))
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 1 / 1.5 < ratio < 1.5, (ratio, known, unknown)


def test_register_does_not_say_that_an_address_has_an_account(app, client, make_user):
    make_user(username="Other", email="amina@example.org")
    response = client.post_form("/auth/register", {
        "username": "Amina", "email": "Amina@Example.org", "password": PASSWORD,
        "confirm": PASSWORD})
    page = response.get_data(as_text=True)
    assert field_errors(page, "email") == [EMAIL_REFUSED]
    assert "account" not in " ".join(field_errors(page, "email") + form_errors(page)).lower()
    assert 'value="Amina@Example.org"' in page
    assert client.get("/auth/profile").status_code == 302


def test_profile_edit_does_not_say_that_an_address_has_an_account(app, make_user, user_client):
    make_user(username="Other", email="other@example.org")
    client = user_client()
    response = client.post_form("/auth/profile", {
        "display_name": "Someone", "email": "OTHER@example.org", "organisation": "",
        "country": "", "locale": "", "bio": "", "current_password": PASSWORD})
    page = response.get_data(as_text=True)
    assert field_errors(page, "email") == [EMAIL_REFUSED]
    with app.app_context():
        assert services.get_user_by_username(client.username).email != "other@example.org"
        db.session.remove()


def test_profile_edit_cannot_be_used_to_try_addresses_without_end(separate_app):
    """A member could otherwise try address after address: saving the profile is limited like
    registration, per account."""
    app = separate_app(RATELIMIT_ENABLED=True)
    with app.app_context():
        services.create_user("Amina", "amina@example.org", PASSWORD)
        db.session.remove()
    client = app.test_client()
    client.post_form("/auth/login", {"username": "Amina", "password": PASSWORD})
    statuses = [client.post_form("/auth/profile", {
        "display_name": "Amina", "email": f"guess{n}@example.org", "organisation": "",
        "country": "", "locale": "", "bio": "", "current_password": PASSWORD}).status_code
        for n in range(31)]
    # Three requests go through (a link each); then the form says to wait (the same answer
    # for every address), and the 31st save is refused by the rate limit.
    assert statuses[:3] == [302] * 3 and statuses[30] == 429
    assert set(statuses[3:30]) == {400}
