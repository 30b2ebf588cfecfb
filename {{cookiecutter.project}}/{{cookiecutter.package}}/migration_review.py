"""What `flask db migrate` does to a revision before writing it (called from env.py).

Alembic's autogenerate writes what the models need, but not always what the data needs.
Here the operations are looked over before the file is written:
- fixed, where the fix is mechanical: types reflected from one database (such as
  SQLite's DATETIME, which PostgreSQL lacks) become generic SQLAlchemy types, and a
  table that is dropped takes its indexes along (MySQL refuses to drop an index that a
  foreign key still uses);
- warned about, where only a person can decide: a dropped column or table (a rename?),
  a NOT NULL column added without a server default, a narrowed type, a new unique
  constraint on a table that has rows. The warnings go to the terminal and into a
  REVIEW block at the top of the new file; `flask setup` will not apply a revision
  that still has one.

The new file is then linted and formatted with ruff, when ruff is installed.
"""

import importlib.util
import logging
import subprocess
import sys
import textwrap

import sqlalchemy as sa
from alembic.operations import ops
from alembic.script import write_hooks

logger = logging.getLogger("alembic.env")

# The first line of the block; `flask setup` looks for it in revisions it would apply.
REVIEW_MARKER = "# REVIEW before `flask db upgrade`"


def review(upgrade_ops, downgrade_ops):
    """Fix what is mechanical in both directions; return the warnings about the upgrade."""
    for container in (upgrade_ops, downgrade_ops):
        drop_indexes_with_their_tables(container)
        for op in walk(container):
            make_types_portable(op)
    upgrade = list(walk(upgrade_ops))
    created = {op.table_name for op in upgrade if isinstance(op, ops.CreateTableOp)}
    added = {}  # table -> the columns this revision adds to it: rename candidates
    for op in upgrade:
        if isinstance(op, ops.AddColumnOp):
            added.setdefault(op.table_name, []).append(op.column.name)
    return [warning for op in upgrade if (warning := warn(op, created, added))]


def review_block(warnings):
    """The comment block for the top of the file: empty when there is nothing to review."""
    if not warnings:
        return ""
    lines = [f"{REVIEW_MARKER} (delete this block once you have):"]
    for warning in warnings:  # wrapped to the project's line length (ruff's E501)
        lines += textwrap.wrap(
            warning, 99, initial_indent="# - ", subsequent_indent="#   ", break_long_words=False
        )
    return "\n".join(lines) + "\n"


def walk(container):
    """Every operation, the ones inside batch blocks (ModifyTableOps) included."""
    for op in container.ops:
        if isinstance(op, ops.OpContainer):
            yield from walk(op)
        else:
            yield op


def drop_indexes_with_their_tables(container):
    dropped = {op.table_name for op in container.ops if isinstance(op, ops.DropTableOp)}
    kept = []
    for op in container.ops:
        if isinstance(op, ops.ModifyTableOps) and op.table_name in dropped:
            op.ops = [sub for sub in op.ops if not isinstance(sub, ops.DropIndexOp)]
            if not op.ops:
                continue
        if isinstance(op, ops.DropIndexOp) and op.table_name in dropped:
            continue
        kept.append(op)
    container.ops = kept


def portable(type_):
    """The generic type for a dialect's or an upper-case SQL type (DATETIME -> DateTime)."""
    cls = type(type_)
    dialect_type = cls.__module__.startswith("sqlalchemy.dialects.")
    sql_standard_type = cls.__module__ == "sqlalchemy.sql.sqltypes" and cls.__name__.isupper()
    if not (dialect_type or sql_standard_type):
        return type_  # a generic type already, or one of the project's own
    try:
        return type_.as_generic()
    except NotImplementedError:
        return type_


def make_types_portable(op):
    if isinstance(op, ops.AlterColumnOp):
        if op.existing_type is not None:
            op.existing_type = portable(op.existing_type)
        if op.modify_type is not None:
            op.modify_type = portable(op.modify_type)
    columns = [op.column] if isinstance(op, ops.AddColumnOp) else []
    if isinstance(op, ops.CreateTableOp):
        columns = [item for item in op.columns if isinstance(item, sa.Column)]
    for column in columns:
        column.type = portable(column.type)


def warn(op, created, added):
    """One warning about `op`, or None. `created`: the tables this revision makes;
    `added`: the columns it adds, by table."""
    table = getattr(op, "table_name", None)
    if isinstance(op, ops.DropColumnOp):
        new_name = (added.get(table) or ["..."])[0]
        return (
            f"drops column {table}.{op.column_name}: if it is a rename, replace the drop and "
            f'the add with op.alter_column("{table}", "{op.column_name}", '
            f'new_column_name="{new_name}"), or its values are lost'
        )
    if isinstance(op, ops.DropTableOp):
        return (
            f"drops table {table}: if it is a rename, use "
            f'op.rename_table("{table}", "...") instead, or its rows are lost'
        )
    if table in created:
        return None  # a new table has no rows to worry about
    column = op.column if isinstance(op, ops.AddColumnOp) else None
    if column is not None and not column.nullable and column.server_default is None:
        return (
            f"adds NOT NULL column {table}.{column.name} without a server default: it "
            "fails on a table with rows (MySQL fills in ''). Add it with server_default=..., "
            "or nullable, fill it, then alter it to NOT NULL"
        )
    if isinstance(op, ops.AlterColumnOp) and narrows(op.existing_type, op.modify_type):
        return (
            f"changes {table}.{op.column_name} from {op.existing_type!r} to "
            f"{op.modify_type!r}: values that do not fit are cut, or the upgrade fails"
        )
    unique_index = isinstance(op, ops.CreateIndexOp) and op.unique
    if isinstance(op, ops.CreateUniqueConstraintOp) or unique_index:
        columns = ", ".join(str(column) for column in op.columns)
        return (
            f"adds a unique constraint on {table} ({columns}): the upgrade fails if rows "
            "already repeat a value; look for them before upgrading"
        )
    return None


def narrows(old, new):
    """True unless `new` surely holds every value of `old` (same kind, no shorter)."""
    if old is None or new is None:
        return False
    widenings = {(sa.Integer, sa.BigInteger), (sa.String, sa.Text), (sa.Float, sa.Numeric)}
    if any(isinstance(old, a) and isinstance(new, b) for a, b in widenings):
        return False
    if kind(old) is not kind(new):
        return True
    old_length, new_length = getattr(old, "length", None), getattr(new, "length", None)
    return new_length is not None and (old_length is None or new_length < old_length)


def kind(type_):
    try:
        return type(type_.as_generic())
    except NotImplementedError:  # a type of the project's own
        return type(type_)


@write_hooks.register("ruff")
def ruff(filename, options):
    """alembic.ini's post-write hook: `ruff check --fix` and `ruff format` the new file,
    so it passes the project's lint as written. Without ruff (a production install with
    no dev extra), say so and leave the file as it is: the revision is written either way."""
    if importlib.util.find_spec("ruff") is None:
        logger.warning("ruff is not installed: %s is left unformatted (see .[dev])", filename)
        return
    for arguments in (["check", "--fix", "--quiet"], ["format", "--quiet"]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *arguments, filename], capture_output=True, text=True
        )
        if result.returncode != 0:
            logger.warning("ruff %s: %s", arguments[0], (result.stdout + result.stderr).strip())
