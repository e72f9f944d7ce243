"""The guard's form flow without HTTP: checking texts, the fingerprint of what the author saw,
the highlighted text (escaped whole), and the decision recorded in the caller's transaction."""
from markupsafe import Markup
from sqlalchemy import select

from core.accounts import services as accounts
from core.confidentiality import guard
from core.confidentiality.detector import Match
from core.confidentiality.models import GuardDecision
from core.extensions import db

CHILD = "Moussa Diallo sleeps at the station. His uncle answers on 06 12 34 56 78."
HARMLESS = "A boy of about 12 sleeps near the station. How do I approach him?"


def test_check_finds_per_field_and_lists_the_kinds_in_order(ctx):
    check = guard.check([("title", "About a boy at the station"), ("body", CHILD)], "en", 1)
    assert [f.name for f in check.found] == ["body"]
    assert check.kinds == ("phone", "name")
    assert check.warn and check.confirmed_kinds == ()
    assert [str(label) for label in check.kind_labels()] == ["a phone number", "a person's name"]


def test_nothing_found_never_warns_and_records_nothing(ctx):
    check = guard.check([("title", "Trust"), ("body", HARMLESS)], "en", 1)
    assert not check.warn and check.kinds == () and check.confirmed_kinds == ()


def test_the_fingerprint_changes_with_any_text_its_language_or_its_author(ctx):
    texts = [("title", "A title"), ("body", CHILD)]
    base = guard.fingerprint(texts, "en", 1)
    assert guard.fingerprint(texts, "en", 1) == base
    assert guard.fingerprint([("title", "A title"), ("body", CHILD + " ")], "en", 1) == base
    assert guard.fingerprint([("title", "A title"), ("body", CHILD.replace("Moussa", "M."))],
                             "en", 1) != base
    assert guard.fingerprint([("title", "A title!"), ("body", CHILD)], "en", 1) != base
    assert guard.fingerprint(texts, "fr", 1) != base
    assert guard.fingerprint(texts, "en", 2) != base
    # A browser sends a textarea's line ends as CRLF: the same text.
    assert guard.fingerprint([("body", "one\r\ntwo")], "en", 1) == guard.fingerprint(
        [("body", "one\ntwo")], "en", 1)


def test_a_confirmation_counts_only_for_the_texts_it_was_given_for(ctx):
    texts = [("body", CHILD)]
    shown = guard.check(texts, "en", 1)
    confirmed = guard.check(texts, "en", 1, confirmation=shown.fingerprint)
    assert confirmed.confirmed and not confirmed.warn
    assert confirmed.confirmed_kinds == ("phone", "name")
    changed = guard.check([("body", CHILD + " And his sister Awa Diallo.")], "en", 1,
                          confirmation=shown.fingerprint)
    assert changed.warn
    for forged in ("", "0" * 64, shown.fingerprint[:-1], None):
        assert guard.check(texts, "en", 1, confirmation=forged).warn
    assert guard.check(texts, "en", 2, confirmation=shown.fingerprint).warn


def test_highlight_wraps_matches_and_escapes_everything_around_and_inside(ctx):
    text = "<script>x</script> <b>Moussa</b> & <i>"
    matches = [Match("name", 19, 32, text[19:32])]
    html = guard.highlight(text, matches)
    assert isinstance(html, Markup)
    assert html == ("&lt;script&gt;x&lt;/script&gt; "
                    "<mark>&lt;b&gt;Moussa&lt;/b&gt;</mark> &amp; &lt;i&gt;")
    assert "<script" not in html and "<b>" not in html


def test_highlight_of_a_found_script_in_a_real_check(ctx):
    check = guard.check([("body", '<script>alert("x")</script> Moussa Diallo <img src=x>')],
                        "en")
    html = check.found[0].html
    assert "<mark>Moussa Diallo</mark>" in html
    assert "<script" not in html and "<img" not in html and "&lt;img src=x&gt;" in html


def test_a_long_text_is_shown_as_excerpts_around_what_was_found(ctx):
    text = "word " * 200 + "Moussa Diallo" + " more" * 200
    check = guard.check([("body", text)], "en")
    html = check.found[0].html
    assert "<mark>Moussa Diallo</mark>" in html
    assert html.startswith("… ") and html.endswith(" …") and len(html) < 300


def test_record_decision_joins_the_callers_transaction(ctx):
    user = accounts.create_user("author", "author@example.org", "correct horse battery")
    assert guard.record_decision(user, "question", 7, 1, ()) is None
    guard.record_decision(user, "question", 7, 1, ("phone", "name"))
    db.session.rollback()  # the caller gave up: nothing of the decision stays
    assert db.session.scalars(select(GuardDecision)).all() == []
    guard.record_decision(user, "question", 7, 1, ("phone", "name"))
    db.session.commit()
    [decision] = db.session.scalars(select(GuardDecision)).all()
    assert (decision.target_type, decision.target_id, decision.revision_number,
            decision.kinds, decision.user_id) == ("question", 7, 1, "phone name", user.id)


def _confirmed(user):
    texts = [("body", CHILD)]
    return guard.check(texts, "en", user.id,
                       confirmation=guard.fingerprint(texts, "en", user.id))


def test_recording_writes_the_decision_in_the_commit_of_the_retried_service(ctx):
    from core.revisions import Revision, add_revision
    from core.transactions import RaceLost, transactional

    user = accounts.create_user("author", "author@example.org", "correct horse battery")
    attempts = []

    @transactional
    def save():
        attempts.append(1)
        add_revision("question", 999, user, CHILD)
        db.session.flush()
        if len(attempts) == 1:
            raise RaceLost()  # the first attempt lost a race: rolled back, run again
        db.session.commit()

    with guard.recording(_confirmed(user), user, "revision"):
        save()
    [revision_id] = db.session.scalars(select(Revision.id)).all()
    [decision] = db.session.scalars(select(GuardDecision)).all()
    assert len(attempts) == 2
    assert (decision.target_type, decision.target_id, decision.kinds) == (
        "revision", revision_id, "phone name")
    # Outside the block, a commit records nothing more.
    add_revision("question", 999, user, "Another text")
    db.session.commit()
    assert len(db.session.scalars(select(GuardDecision)).all()) == 1


def test_recording_records_nothing_when_the_service_refuses_or_nothing_was_confirmed(ctx):
    from core.errors import InvalidInput
    from core.revisions import add_revision

    user = accounts.create_user("author", "author@example.org", "correct horse battery")
    try:
        with guard.recording(_confirmed(user), user, "revision"):
            add_revision("question", 999, user, CHILD)
            db.session.flush()
            raise InvalidInput("refused")
    except InvalidInput:
        db.session.rollback()
    unconfirmed = guard.check([("body", CHILD)], "en", user.id)
    with guard.recording(unconfirmed, user, "revision"):
        add_revision("question", 999, user, CHILD)
        db.session.commit()
    add_revision("question", 999, user, "Later")
    db.session.commit()
    assert db.session.scalars(select(GuardDecision)).all() == []


def test_names_the_site_wrote_itself_are_left_out_and_only_those(ctx):
    text = "> We came back every evening.\n\n— Amadou Keïta, in the discussion\n\nAli Keïta too."
    check = guard.check([("body", text)], "fr", known=["Amadou Keïta"])
    assert [m.text for m in check.found[0].matches] == ["Ali Keïta"]
    assert [m.text for m in guard.check([("body", text)], "fr").found[0].matches] == [
        "Amadou Keïta", "Ali Keïta"]
