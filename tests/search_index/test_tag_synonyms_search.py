"""`tag:` finds a tag's declared synonyms and its translations from the thesaurus, on both
engines."""
from core.accounts.services import get_user_by_username
from forum.services import tag_synonyms


def _declare(app, username, synonym, main):
    with app.app_context():
        tag_synonyms.declare_synonym(get_user_by_username(username), synonym, main)


def _remove(app, username, synonym):
    with app.app_context():
        tag_synonyms.remove_synonym(get_user_by_username(username), synonym)


def test_a_tag_filter_finds_the_declared_synonyms(app, seed, make_user, find):
    author, expert = make_user(), make_user("expert")
    french = seed.question(author, "Horaires de la tournée du soir", tags="maraude", lang="fr")
    english = seed.question(author, "Evening rounds near the station", tags="street-outreach")
    spanish = seed.question(author, "Rondas nocturnas cerca de la estación",
                            tags="rondas-nocturnas", lang="es")
    other = seed.question(author, "Evening rounds of the night shelter", tags="shelter")
    assert find("tag:rondas-nocturnas") == [spanish]
    _declare(app, expert, "rondas-nocturnas", "street-outreach")
    for name in ("rondas-nocturnas", "street-outreach", "maraude"):
        assert set(find(f"tag:{name}")) == {french, english, spanish}
    assert set(find("tag:rondas-nocturnas evening")) == {english}
    assert other not in find("tag:rondas-nocturnas")
    # The Spanish thread was retagged and indexed again: once the synonym is removed, the
    # tag has no questions left (they stay with the main tag, as on Stack Overflow).
    _remove(app, expert, "rondas-nocturnas")
    assert find("tag:rondas-nocturnas") == []
    assert set(find("tag:street-outreach")) == {french, english, spanish}


def test_a_new_post_with_a_synonym_is_found_under_the_main_tag(app, seed, make_user, find):
    author, moderator = make_user(), make_user("moderator")
    seed.question(author, "Rondas nocturnas cerca de la estación", tags="calle", lang="es")
    seed.question(author, "Evening rounds near the station", tags="rounds")
    _declare(app, moderator, "calle", "rounds")
    new = seed.question(author, "Rondas con lluvia: qué llevar", tags="calle", lang="es")
    _remove(app, moderator, "calle")
    assert new in find("tag:rounds") and new not in find("tag:calle")


def test_a_tag_filter_accepts_a_translation_from_the_thesaurus(app, seed, make_user, find):
    # The concept "trust": named "confianza" in Spanish, tagged trust and confiance.
    author = make_user()
    french = seed.question(author, "Gagner la confiance d’un enfant", tags="confiance",
                           lang="fr")
    english = seed.question(author, "Building trust on the first evening", tags="trust")
    seed.question(author, "Evening rounds of the night shelter", tags="shelter")
    assert set(find("tag:confianza")) == {french, english}
    assert set(find("tag:Confianza lang:fr")) == {french}
    assert set(find("tag:vínculo-de-confianza")) == {french, english}
    # "educacion-de-calle" names the concept "street outreach" in Spanish.
    assert find("tag:educacion-de-calle") == []
    outreach = seed.question(author, "Horaires de la tournée du soir", tags="maraude", lang="fr")
    assert find("tag:educacion-de-calle") == [outreach]
    assert find("tag:confianzas-inexistentes") == []


def test_articles_keep_their_tag_and_are_found_with_the_group(app, seed, make_user, find):
    from knowledge.services import articles, editing, workflow

    curator, reviewer = make_user("expert"), make_user("expert")
    thread = seed.question(make_user(), "Evening rounds near the station", tags="outreach")
    with app.app_context():
        text = editing.ArticleText(
            "Rondas nocturnas: volver cada noche a la misma hora", "Volver cada noche.",
            "Cuando un niño se aleja en el primer contacto, volver cada noche a la misma hora "
            "y esperar a que hable.", "rondas-nocturnas", "es")
        slug = editing.create_article(get_user_by_username(curator), text).slug
        workflow.submit_for_review(get_user_by_username(curator), slug)
        workflow.approve(get_user_by_username(reviewer), slug)
    _declare(app, reviewer, "rondas-nocturnas", "outreach")
    found = find("tag:outreach")
    assert [(item.card.kind, item.card.id) for item in find.last.items if
            item.card.kind == "question"] == [("question", thread)]
    assert len(found) == 2 and find("tag:outreach is:article") != []
    with app.app_context():
        assert [a.slug for a in articles.published_with_tag("outreach")] == [slug]
        # The knowledge base's tag list counts the article under the main tag only.
        counts = dict(articles.tag_counts())
        assert counts.get("outreach") == 1 and "rondas-nocturnas" not in counts
