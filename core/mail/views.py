"""The one-click unsubscribe page of every notification mail (RFC 8058). The GET only shows a
button (mail scanners follow links); the POST, from the button or from a mail client's
"List-Unsubscribe=One-Click", changes the preference. The token is the proof: no sign-in and
no CSRF token."""
from flask import Blueprint, render_template
from flask_babel import force_locale

from core.extensions import csrf
from core.mail import compose, unsubscribe as unsubscribing

bp = Blueprint("mail", __name__, url_prefix="/mail")


def _page(token, done=False):
    found = unsubscribing.read_token(token)
    if found is None:
        return render_template("mail/unsubscribe.html", user=None, kinds=[], done=False), 404
    user, kinds = found
    if done:
        unsubscribing.unsubscribe(user, kinds)
    with force_locale(compose.locale_of(user)):
        return render_template("mail/unsubscribe.html", user=user, kinds=kinds, done=done,
                               token=token)


@bp.get("/unsubscribe/<token>")
def unsubscribe(token):
    return _page(token)


@bp.post("/unsubscribe/<token>")
@csrf.exempt
def unsubscribe_now(token):
    return _page(token, done=True)
