"""Knowledge base: notebooks, training modules and (later) curated articles."""


def init_app(app):
    """Register the knowledge blueprint and the demo command."""
    from knowledge import demo, views

    app.register_blueprint(views.bp)
    app.cli.add_command(demo.demo_command)
