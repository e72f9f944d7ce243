"""The community: questions, answers, comments, votes and tags."""


def init_app(app):
    """Register the forum blueprints, template helpers, notification kinds, and the pages and
    navigation entries the layout links to."""
    from core import hooks
    from core.i18n import lazy_gettext as _l
    from forum.search import ThreadProvider
    from forum import audit, demo, links, notifications, permissions
    from forum.services import moderation_threads
    from forum.views import admin_users, feeds, flags, members, moderation, questions
    from forum.views import redaction, safeguarding, tags, thread_moderation, users
    from forum.services import tag_synonyms
    from search_index import tag_groups
    from search_index.registry import register_provider

    app.register_blueprint(questions.bp)
    app.register_blueprint(tags.bp)
    app.register_blueprint(users.bp)
    users.init_app(app)
    app.register_blueprint(moderation.bp)
    app.register_blueprint(members.bp)
    app.register_blueprint(admin_users.bp)
    admin_users.init_app(app)
    app.register_blueprint(flags.bp)
    app.register_blueprint(feeds.bp)
    _register_actions(app)
    moderation.init_app(app)
    app.register_blueprint(thread_moderation.bp)
    moderation_threads.init_app(app)
    audit.init_app(app)
    app.register_blueprint(safeguarding.bp)
    safeguarding.init_app(app)
    redaction.init_app(app)
    demo.init_app(app)
    app.jinja_env.globals.update(question_url=links.question_url, forum_perms=permissions)
    notifications.init_app(app)
    register_provider(app, ThreadProvider())
    tag_groups.register_lookup(app, tag_synonyms.group_names)
    for page, endpoint in (("home", "forum.home"), ("ask", "forum.ask"),
                           ("tag", "tags.show"), ("profile", "users.profile")):
        hooks.add_page(app, page, endpoint)
    hooks.add_navigation(app, _l("Questions"), "forum.questions", order=10)
    hooks.add_navigation(app, _l("Tags"), "tags.index", order=20)
    # Last, and drawn as a button: the one action the header offers.
    hooks.add_navigation(app, _l("Ask"), "forum.ask", order=90, css_class="button")


def _register_actions(app):
    """The moderators' actions on posts that the audit log names (core.audit)."""
    from core.audit.actions import register_action
    from core.i18n import lazy_gettext as _l

    for name, label in (("hide", _l("hid a post")), ("unhide", _l("showed a hidden post again")),
                        ("dismiss_flags", _l("dismissed the flags of a post")),
                        ("delete", _l("deleted a post")),
                        ("undelete", _l("restored a deleted post")),
                        ("restore_revision", _l("restored an earlier revision of a post"))):
        register_action(app, name, label)
