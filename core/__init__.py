"""Carnets core: the app factory and what every package stands on."""
import os

from flask import Flask

from core.config import PROJECT_ROOT, defaults, instance_path, load_or_create_secret_key


def create_app(config=None):
    """Build the Flask application; `config` overrides every other setting (tests use it)."""
    config = dict(config or {})
    folder = config.pop("INSTANCE_PATH", None) or instance_path()
    os.makedirs(folder, exist_ok=True)
    app = Flask(__name__, instance_path=folder, instance_relative_config=True,
                template_folder=str(PROJECT_ROOT / "templates"))
    app.config.from_mapping(defaults(folder))
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_mapping(config)
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A ping before each checkout survives server restarts; SQLite has no server to lose.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"].setdefault("pool_pre_ping", True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_or_create_secret_key(app.instance_path)

    # The composition root is the one place that knows every package.
    from core import setup
    import forum
    import knowledge
    import search_index

    setup.init_app(app)
    search_index.init_app(app)
    forum.init_app(app)
    knowledge.init_app(app)
    setup.init_http(app)
    return app
