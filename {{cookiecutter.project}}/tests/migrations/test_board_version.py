"""The board version (revision 0012) on every database: its one row is there, it moves
with a change the pages show, and the table takes rows as any other (the data test fills
every table before each later revision, yours included). At head, where the models fit."""

import sqlalchemy as sa
from alembic import command

from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.migration_state import alembic_config
from {{ cookiecutter.package }}.models import BoardVersion, Message, User

from .test_data import fill_every_table


def test_the_row_is_there_and_moves_with_a_post(app):
    command.upgrade(alembic_config(), "head")
    assert db.session.execute(sa.select(BoardVersion.id, BoardVersion.version)).all() == [(1, 0)]
    db.session.commit()  # end this read's snapshot (MySQL): the rows below come from elsewhere
    fill_every_table()  # more rows: no sequence of PostgreSQL's may claim id 1 again
    author = db.session.scalars(sa.select(User)).first()
    db.session.add(Message(body="hello", author_id=author.id))
    db.session.commit()
    assert db.session.get(BoardVersion, BoardVersion.ROW_ID).version == 1
