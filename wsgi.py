"""The one entry point for servers: `gunicorn wsgi:app`, `flask --app wsgi …`."""
from core import create_app

app = create_app()
