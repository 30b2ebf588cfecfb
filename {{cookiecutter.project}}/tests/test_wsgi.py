"""`gunicorn wsgi:app` serves production, whatever the development .env says."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
PRINT_CONFIG = "import wsgi; print(wsgi.app.config['SESSION_COOKIE_SECURE'])"


def wsgi_secure_cookies(folder, **environment):
    """Import a copy of wsgi.py from `folder` (next to its .env) in a new Python and
    say whether the app it made has production's Secure-only cookies."""
    shutil.copy(PROJECT / "wsgi.py", folder / "wsgi.py")
    env = {key: value for key, value in os.environ.items() if key != "FLASK_CONFIG"}
    env.update(PYTHONPATH=str(PROJECT), **environment)
    result = subprocess.run(
        [sys.executable, "-c", PRINT_CONFIG], cwd=folder, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip() == "True"


@pytest.fixture
def development_env_file(tmp_path):
    """A folder whose .env is the generated one's kind: development and debug, with a
    secret key (production would refuse FLASK_DEBUG, were it read)."""
    (tmp_path / ".env").write_text(
        "FLASK_CONFIG=development\n"
        "FLASK_DEBUG=1\n"
        "SECRET_KEY=a-real-secret-from-the-environment\n"
        f"DATABASE_URL=sqlite:///{tmp_path / 'wsgi.db'}\n"
        "MAIL_ENABLED=false\n"
        "RATELIMIT_ALLOW_PER_PROCESS=1\n"
    )
    return tmp_path


def test_the_development_env_file_does_not_make_the_server_run_development(
    development_env_file,
):
    assert wsgi_secure_cookies(development_env_file)


def test_the_server_environment_still_chooses(development_env_file):
    assert not wsgi_secure_cookies(development_env_file, FLASK_CONFIG="development")
