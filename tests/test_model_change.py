"""The workflow the README teaches, done as a user would, on every database:
change the models, `flask db migrate`, review, `flask db upgrade` with rows present,
`flask db downgrade`, upgrade again, `flask db check`."""

import json
import sys

import pytest
from helpers import DATABASES, flask, run, run_pytest

NEW_COLUMN = """
    karma: Mapped[int] = mapped_column(default=0, server_default="0")
"""

NEW_TABLE = '''

class Like(db.Model):
    """A user likes a message: a new table with two foreign keys."""

    __tablename__ = "likes"
    __table_args__ = (sa.UniqueConstraint("user_id", "message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    message_id: Mapped[int] = mapped_column(sa.ForeignKey("messages.id", ondelete="CASCADE"))
'''

# Runs inside the project: the rows of users and messages, as JSON.
DUMP_ROWS = """
import json, sqlalchemy as sa
from dotenv import load_dotenv
load_dotenv()
from {package} import create_app
from {package}.extensions import db
with create_app().app_context():
    with db.engine.connect() as connection:
        rows = {{
            table: [list(map(str, row)) for row in connection.execute(sa.text(
                f"SELECT id, {{columns}} FROM {{table}} ORDER BY id"))]
            for table, columns in [("users", "username, email, password_hash, role_id"),
                                   ("messages", "body, author_id, created_at")]
        }}
        tables = sorted(sa.inspect(connection).get_table_names())
print(json.dumps({{"rows": rows, "tables": tables}}))
"""

ADD_ROWS = """
from dotenv import load_dotenv
load_dotenv()
from {package} import create_app
from {package}.extensions import db
from {package}.models import Message, User
with create_app().app_context():
    for name in ("alice", "bob"):
        user = User(username=name, email=f"{{name}}@example.com", password="x" * 15)
        db.session.add(user)
        db.session.add_all(Message(body=f"{{name}} {{i}}", author=user) for i in range(3))
    db.session.commit()
"""


def python(project, code):
    return run([sys.executable, "-c", code], cwd=project).stdout


@pytest.mark.parametrize("database", DATABASES)
def test_add_a_column_and_a_table_then_migrate_both_ways(make_project, database):
    project = make_project(database=database)
    package = next(p.parent.name for p in project.glob("*/models.py"))
    python(project, ADD_ROWS.format(package=package))
    before = json.loads(python(project, DUMP_ROWS.format(package=package)))

    models = project / package / "models.py"
    source = models.read_text()
    anchor = "    created_at: Mapped[datetime] = mapped_column(default=utcnow)\n"
    source = source.replace(anchor, anchor + NEW_COLUMN.lstrip("\n"), 1) + NEW_TABLE
    models.write_text(source)

    flask(project, "db", "migrate", "-m", "add karma and likes")
    (revision,) = [
        p for p in (project / "migrations" / "versions").glob("*.py") if "karma" in p.name
    ]
    text = revision.read_text()
    assert 'batch_alter_table("users"' in text  # SQLite alters tables in batch mode
    assert 'server_default="0"' in text
    for name in ("pk_likes", "fk_likes_user_id_users", "fk_likes_message_id_messages"):
        assert name in text, f"constraint {name} is not named in the revision"
    run([sys.executable, "-m", "ruff", "format", "--check", str(revision)], cwd=project)

    flask(project, "db", "upgrade")
    upgraded = json.loads(python(project, DUMP_ROWS.format(package=package)))
    assert upgraded["rows"] == before["rows"]
    assert "likes" in upgraded["tables"]

    flask(project, "db", "downgrade")
    downgraded = json.loads(python(project, DUMP_ROWS.format(package=package)))
    assert downgraded == before

    flask(project, "db", "upgrade")
    flask(project, "db", "check")
    # The project's own migration tests now walk the new revision too.
    run_pytest(project, "tests/migrations")
