"""Binds the extensions, core blueprints, CLI and HTTP policies to an application."""
from sqlalchemy import event

from core import (audit, confidentiality, errors, health, http, i18n, long_requests, mail,
                  notifications)
from core import pagecache, personal
from core import switcher, templating
from core import hooks, translate_cli
from core.config import PROJECT_ROOT
from core.urls import IdConverter
from core import demo
from core.accounts import cli as accounts_cli
from core.accounts import demo as accounts_demo
from core.accounts import devices
from core.accounts import recovery_views
from core.accounts import services as accounts
from core.accounts.views import bp as auth_bp
from core.extensions import babel, compress, csrf, db, limiter, login_manager, migrate
from core.i18n import lazy_gettext as _l


def _sqlite_pragmas(dbapi_connection, _record):
    cursor = dbapi_connection.cursor()
    # WAL lets readers work while one writer commits; the busy timeout queues writers.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def init_app(app):
    """Bind extensions and core features to `app`."""
    # Before any rule is added: rules take their converters when they are added.
    app.url_map.converters["int"] = IdConverter
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"),
                     render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Sign in to continue.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(accounts.user_for_session)

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_pragmas)

    # Before the page cache: an address too long is answered before any other work.
    long_requests.init_app(app)
    pagecache.init_app(app)
    personal.init_app(app)
    errors.init_app(app)
    i18n.init_app(app)
    templating.init_app(app)
    hooks.init_app(app)
    app.register_blueprint(switcher.bp)
    recovery_views.init_app(app)  # its pages are on the auth blueprint: before registering it
    app.register_blueprint(auth_bp)
    devices.init_app(app)
    notifications.init_app(app)
    mail.init_app(app)
    audit.init_app(app)
    confidentiality.init_app(app)
    app.register_blueprint(health.bp)
    accounts_cli.init_app(app)
    translate_cli.init_app(app)
    demo.init_app(app)
    accounts_demo.init_app(app)


def init_http(app):
    """Compression and caching run last, on the final body of every response."""
    compress.init_app(app)
    http.init_app(app)
