"""Real server processes for end-to-end, load and multi-server tests: gunicorn on a free port."""
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(instance_path, database_url=None, **extra):
    """Environment of a test server: its own instance folder, fast hashing, no rate limit."""
    env = dict(os.environ)
    env.update({
        "CARNETS_INSTANCE_PATH": str(instance_path),
        "SECRET_KEY": "e2e-secret",
        "RATELIMIT_ENABLED": "false",
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        # Tests read the English source text unless they choose a language (the site's own
        # default is French).
        "CARNETS_DEFAULT_LOCALE": "en",
    })
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update({key: str(value) for key, value in extra.items()})
    return env


def flask(env, *args, check=True):
    """Run `flask --app wsgi ARGS` in the project folder with `env`."""
    return subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env,
                          check=check, capture_output=True, text=True, timeout=600)


class Server:
    """A gunicorn process serving wsgi:app; `url` is its base address."""

    def __init__(self, env, workers=2, threads=1, log=None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(log or os.devnull, "w")
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", str(workers), "--threads", str(threads),
             "--bind", f"127.0.0.1:{self.port}", "--graceful-timeout", "5", "--timeout", "60",
             "wsgi:app"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self._wait()

    def _wait(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with code {self.process.returncode}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the server did not answer within %s s" % timeout)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
