"""Day two, on every database: what happens after generation, as a new user meets it.

A project made by a Python that has only cookiecutter (so it gets its own .venv), then,
in that .venv: the fresh suite; a deploy to an empty database with `flask db upgrade`
alone; the README's model change; a forgotten migration; `flask setup` on the drifted
project; a rename; two heads; concurrent upgrades. Each step checks what the user sees.
"""

import json
import os
import subprocess
import uuid

import pytest
import sqlalchemy as sa
from helpers import DATABASES, SERVER_VARIABLES, TEMPLATE, drop_database, run, server_url

PASSWORD = "a long enough passphrase"
USER_ANCHOR = "    created_at: Mapped[datetime] = mapped_column(default=utcnow)\n"
ROLE_NAME = "    name: Mapped[str] = mapped_column(sa.String(64), unique=True)\n"
LIKE = """

class Like(db.Model):
    __tablename__ = "likes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
"""

# Runs in the project's .venv: what a browser would get, as JSON lines.
VISIT = """
import json, sys
from dotenv import load_dotenv
load_dotenv()
from {package} import create_app
client = create_app().test_client()
for path in sys.argv[1:]:
    response = client.get(path)
    print(json.dumps([path, response.status_code, response.get_data(as_text=True)]))
"""

REGISTER = """
import re
from dotenv import load_dotenv
load_dotenv()
from {package} import create_app
client = create_app().test_client()
page = client.get("/auth/register").get_data(as_text=True)
token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
fields = {{"username": "newcomer", "email": "newcomer@example.com"}}
fields.update(password={password!r}, confirm={password!r}, csrf_token=token)
response = client.post("/auth/register", data=fields, follow_redirects=True)
welcomed = "Welcome, newcomer!" in response.get_data(as_text=True)
print("registered:", response.status_code, welcomed)
"""


class Project:
    """A generated project, driven through its own .venv."""

    def __init__(self, path, package, env):
        self.path, self.package, self.env = path, package, env
        self.python = str(path / ".venv" / "bin" / "python")

    def run(self, *command, check=True, env=None):
        return run([self.python, "-m", *command], self.path, {**self.env, **(env or {})}, check)

    def flask(self, *args, check=True, env=None):
        return self.run("flask", *args, check=check, env=env)

    def script(self, source, *args, env=None):
        code = source.format(package=self.package, password=PASSWORD)
        return run([self.python, "-c", code, *args], self.path, {**self.env, **(env or {})})

    def visit(self, *paths):
        out = self.script(VISIT, *paths).stdout
        return {path: (status, text) for path, status, text in map(json.loads, out.splitlines())}

    @property
    def models(self):
        return self.path / self.package / "models.py"

    def versions(self):
        return sorted(p.name for p in (self.path / "migrations" / "versions").glob("*.py"))

    def suite_and_lint_pass(self):
        # The browser tests need the e2e extra, which the hook does not install.
        result = self.run("pytest", "-q", "-p", "no:cacheprovider", "-m", "not e2e")
        assert " passed" in result.stdout and " skipped" not in result.stdout, result.stdout
        self.run("ruff", "check", ".")
        self.run("ruff", "format", "--check", ".")


def database_url(database, name, tmp_path):
    if database == "sqlite":
        return f"sqlite:///{tmp_path / f'{name}.db'}"
    return sa.make_url(server_url(database)).set(database=name).render_as_string(False)


@pytest.fixture
def databases(tmp_path):
    """new(database) -> the URL of a database named for this test, dropped afterwards."""
    made = []

    def new(database):
        name = f"day2_{uuid.uuid4().hex[:8]}"
        if database != "sqlite":
            admin = sa.create_engine(server_url(database), isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.exec_driver_sql(f"CREATE DATABASE {name}")
            admin.dispose()
            made.append((database, name))
        return database_url(database, name, tmp_path)

    yield new
    for database, name in made:
        drop_database(database, name)


@pytest.fixture(params=DATABASES)
def project(request, cookiecutter_only, databases, tmp_path):
    """A project on a database of each kind, made by the `cookiecutter` of a bare Python."""
    database = request.param
    package = f"day2_{uuid.uuid4().hex[:8]}"
    url = databases(database)
    command = [str(cookiecutter_only), "--no-input", str(TEMPLATE), "-o", str(tmp_path)]
    command += [f"database={database}", f"package={package}", f"project={package}"]
    # The URL in effect at generation is the one the project keeps (in .env): the later
    # commands run without DATABASE_URL, as in a new shell.
    out = run(command, tmp_path, {"DATABASE_URL": url}).stdout
    assert "Next steps:" in out, out
    # The project's own tests of PostgreSQL and MySQL run too, as its README says.
    env = {name: server_url(db) for db, name in SERVER_VARIABLES.items()}
    return Project(tmp_path / package, package, env)


def test_day_two(project, databases, request):
    database = request.node.callspec.params["project"]

    # 1. Fresh out of the template, the project's suite and linters pass.
    project.suite_and_lint_pass()

    # 2. A deploy to an empty database with `flask db upgrade` alone: people can register.
    empty = {"DATABASE_URL": databases(database)}
    project.flask("db", "upgrade", env=empty)
    # Development prints mail (the confirmation) to the terminal, from a thread that could
    # write into the middle of our line: the mail waits in the outbox here instead.
    out = project.script(REGISTER, env=empty | {"MAIL_SEND_IN_BACKGROUND": "false"}).stdout
    assert "registered: 200 True" in out.splitlines(), out

    # 3. The README's model change: migrate, review, upgrade; suite and lint still pass.
    # With a new table that has an indexed foreign key, and a type change: a revision
    # written on SQLite must also upgrade and downgrade on PostgreSQL and MariaDB, which
    # the project's own migration tests check on both servers.
    source = project.models.read_text().replace(ROLE_NAME, ROLE_NAME.replace("64", "80"), 1)
    bio = "    bio: Mapped[str | None] = mapped_column(sa.String(200))\n"
    project.models.write_text(source.replace(USER_ANCHOR, USER_ANCHOR + bio, 1) + LIKE)
    migrate = project.flask("db", "migrate", "-m", "add user bio")
    assert "REVIEW" not in migrate.stdout + migrate.stderr  # a nullable column: nothing to fear
    project.flask("db", "upgrade")
    project.suite_and_lint_pass()

    # 4. A forgotten migration: pages and /healthz answer 503 and say what to run.
    with_bio = project.models.read_text()
    location = "    location: Mapped[str | None] = mapped_column(sa.String(100))\n"
    project.models.write_text(with_bio.replace(USER_ANCHOR, USER_ANCHOR + location, 1))
    pages = project.visit("/u/admin", "/healthz", "/api/v1/messages")
    status, page = pages["/u/admin"]
    assert status == 503 and "users.location: in the models, not in the database" in page
    assert "flask db migrate" in page
    assert pages["/healthz"][0] == pages["/api/v1/messages"][0] == 503

    # 5. `flask setup` on the drifted project stops, names the difference, writes nothing.
    before = project.versions()
    setup = project.flask("setup", check=False)
    assert setup.returncode == 1
    assert "add column users.location" in setup.stdout
    assert 'flask db migrate -m "describe the change"' in setup.stdout
    assert project.versions() == before

    # 6. A rename: `flask db migrate` warns that drop + add would lose the values.
    project.models.write_text(with_bio.replace("    bio: ", "    about: ", 1))
    rename = project.flask("db", "migrate", "-m", "rename bio")
    assert "REVIEW: drops column users.bio: if it is a rename" in rename.stderr
    (new_file,) = set(project.versions()) - set(before)
    revision = project.path / "migrations" / "versions" / new_file
    assert revision.read_text().startswith("# REVIEW before `flask db upgrade`")
    setup = project.flask("setup", check=False)
    assert setup.returncode == 1 and f"is still at the top of {new_file}" in setup.stdout
    revision.unlink()  # the user rewrites it; here, back to the model with bio
    project.models.write_text(with_bio)

    # 7. Two heads (two branches each added a revision): setup and /healthz say merge.
    head = project.flask("db", "heads").stdout.split()[0]
    project.flask("db", "revision", "-m", "branch one")
    project.flask("db", "revision", "-m", "branch two", "--head", head, "--splice")
    setup = project.flask("setup", check=False)
    assert setup.returncode == 1 and 'flask db merge heads -m "merge"' in setup.stdout
    assert "Multiple head revisions" in project.flask("db", "upgrade", check=False).stderr
    assert project.visit("/healthz")["/healthz"][0] == 503
    project.flask("db", "merge", "heads", "-m", "merge")
    project.flask("db", "upgrade")
    assert project.visit("/healthz")["/healthz"][0] == 200

    # 8. Concurrent upgrades of one new database: every process exits 0.
    fresh = {**os.environ, **project.env, "DATABASE_URL": databases(database)}
    upgrades = [
        subprocess.Popen(
            [project.python, "-m", "flask", "db", "upgrade"],
            cwd=project.path,
            env=fresh,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [process.communicate(timeout=120)[0] for process in upgrades]
    assert [process.returncode for process in upgrades] == [0] * 4, outputs
