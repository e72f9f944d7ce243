"""Hidden posts and search, on both engines: a hidden question or answer leaves the index (and
its snippets), showing it again brings it back, and a rebuild never indexes it."""
from core.accounts.services import get_user_by_username
from forum.services import flags, hiding
from search_index import indexing, service


def _as(app, username, function, *args):
    with app.app_context():
        return function(get_user_by_username(username), *args)


def test_hiding_takes_a_question_out_of_search_and_showing_it_brings_it_back(
        app, seed, find, make_user):
    author, moderator = make_user(username="amina"), make_user("moderator", username="modo")
    question = seed.question(author, "Un enfant dort près de la gare routière",
                             "Il s'appelle Joseph Mbarga, il dort chaque nuit sous l'auvent.",
                             lang="fr")
    assert find("Mbarga") == [question]
    _as(app, moderator, hiding.hide_post, "question", question)
    assert find("Mbarga") == [] and find("gare") == []
    assert find("Mbarga", viewer=None) == []
    _as(app, moderator, hiding.unhide_post, "question", question)
    assert find("Mbarga") == [question]


def test_an_answer_hidden_by_two_flags_leaves_the_index_and_its_snippets(
        app, seed, find, make_user):
    author, first, second = (make_user(username=name) for name in ("amina", "luc", "rado"))
    question = seed.question(author, "Trouver un hébergement d'urgence pour un mineur",
                             "Quelles structures acceptent un mineur non accompagné le soir ?",
                             lang="fr")
    answer = seed.answer(first, question, "Appelez Fatou Diallo au 06 12 34 56 78, sa cousine "
                                          "garde la petite près du marché.")
    assert find("Diallo") == [question]
    _as(app, first, flags.flag_post, "answer", answer, "identifies_child")
    assert find("Diallo") == [question]  # one flag hides nothing
    _as(app, second, flags.flag_post, "answer", answer, "identifies_child")
    assert find("Diallo") == []
    with app.test_request_context():
        results = service.search("hébergement")
        assert [item.card.id for item in results.items] == [question]
        assert "Diallo" not in str(results.items[0].snippet)


def test_a_rebuild_never_indexes_a_hidden_post(app, seed, find, make_user):
    author, moderator = make_user(username="mateo"), make_user("moderator", username="modo")
    question = seed.question(author, "Volver a la escuela después de vivir en la calle",
                             "Los niños necesitan acompañamiento para volver a la escuela.",
                             lang="es")
    answer = seed.answer(author, question, "La maestra Rosa Quispe del colegio San Martín ayuda.")
    _as(app, moderator, hiding.hide_post, "answer", answer)
    with app.app_context():
        assert indexing.rebuild().indexed == 1
    assert find("Quispe") == [] and find("escuela") == [question]


def test_a_question_whose_accepted_answer_is_hidden_is_not_found_as_accepted(
        app, seed, find, make_user):
    asker, answerer = make_user(username="amina"), make_user(username="luc")
    moderator = make_user("moderator", username="modo")
    question = seed.question(asker, "Trouver un hébergement d'urgence pour la nuit",
                             "Quelles structures acceptent un mineur non accompagné le soir ?",
                             lang="fr")
    answer = seed.answer(answerer, question, "Le centre d'accueil de jour garde une liste des "
                                             "places libres, appelez-le avant dix-huit heures.")
    seed.accept(asker, answer)
    assert find("hébergement is:accepted") == [question]
    _as(app, moderator, hiding.hide_post, "answer", answer)
    assert find("hébergement is:accepted") == [] and find("hébergement") == [question]
