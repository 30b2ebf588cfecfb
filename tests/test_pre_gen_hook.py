"""Answer checks: bad answers get one line each naming a fix, and nothing is generated;
every accepted answer, however hostile, renders into a project that works."""

import ast
import json
import runpy
import sys
import tomllib

import pytest
import yaml
from cookiecutter.exceptions import FailedHookException
from cookiecutter.utils import create_env_with_context
from helpers import TEMPLATE, generate, load_hook, run
from markupsafe import escape

HOOK = TEMPLATE / "hooks" / "pre_gen_project.py"
hook = load_hook("pre_gen_project")

GOOD = {
    "project_name": "Message Board",
    "project": "message-board",
    "package": "message_board",
    "description": "A message board.",
    "author_name": "Your Name",
    "author_email": "you@example.com",
    "admin_email": "admin@example.com",
    "database": "sqlite",
    "email_confirmation": "optional",
    "language": "en",
    "run_setup": False,
}


def answers(**changes):
    return {**GOOD, **changes}


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"package": "board2", "project": "Board2"},
        {"package": "liu_yan_ban", "project": "liu-yan-ban", "project_name": "留言板"},
        {"project": "my.board_v2"},
        {"project": "x", "package": "x"},
        {"author_email": "ann.o'neil+tag@mail.example.co.uk"},
        {"admin_email": "root@localhost.localdomain"},
        {"admin_email": "josé@exämple.org"},
        {"database": "postgresql"},
        {"database": "mysql"},
        {"email_confirmation": "required"},
        {"email_confirmation": "off"},
        {"language": "zh_Hans"},
        {"project_name": "It's \"Bob's\" '''board''' \\ C:\\new"},
        {"project_name": "Board \U0001f680", "description": "e\u0301\u0327"},
        {"project": "com10", "package": "console"},
        {"project": "lpt", "package": "nul_board"},
    ],
)
def test_good_answers_pass(changes):
    assert hook.problems(answers(**changes)) == []


@pytest.mark.parametrize(
    ("changes", "field", "fix"),
    [
        # package
        ({"package": "class"}, "package", "package=class_board"),
        ({"package": "import"}, "package", "package=import_board"),
        ({"package": "email"}, "package", "package=email_board"),
        ({"package": "json"}, "package", "package=json_board"),
        ({"package": "flask"}, "package", "package=flask_board"),
        ({"package": "sqlalchemy"}, "package", "package=sqlalchemy_board"),
        ({"package": "alembic"}, "package", "package=alembic_board"),
        ({"package": "dotenv"}, "package", "package=dotenv_board"),
        ({"package": "pytest"}, "package", "package=pytest_board"),
        ({"package": "app"}, "package", "package=app_board"),
        ({"package": "tests"}, "package", "package=tests_board"),
        ({"package": "migrations"}, "package", "package=migrations_board"),
        ({"package": "config"}, "package", "package=config_board"),
        ({"package": "distutils"}, "package", "package=distutils_board"),
        ({"package": "my-board"}, "package", "package=my_board"),
        ({"package": "2048"}, "package", "package=board_2048"),
        ({"package": "my board"}, "package", "package=my_board"),
        ({"package": "MyBoard"}, "package", "package=myboard"),
        ({"package": "Email"}, "package", "package=email_board"),
        ({"package": "_board"}, "package", "package=board"),
        ({"package": "留言板", "project": "liu-yan-ban"}, "package", "package=liu_yan_ban"),
        ({"package": "café"}, "package", "package=caf"),
        ({"package": "con"}, "package", "package=con_board"),
        ({"package": "lpt1"}, "package", "package=lpt1_board"),
        # project
        ({"project": "a/b"}, "project", "project=a-b"),
        ({"project": "a\\b"}, "project", "project=a-b"),
        ({"project": "/tmp/board"}, "project", "project=tmp-board"),
        ({"project": "."}, "project", "project=message-board"),
        ({"project": ".."}, "project", "project=message-board"),
        ({"project": "-rf"}, "project", "project=rf"),
        ({"project": ""}, "project", "project=message-board"),
        ({"project": "my board"}, "project", "project=my-board"),
        ({"project": "board-"}, "project", "project=board"),
        ({"project": ".hidden"}, "project", "project=hidden"),
        ({"project": "留言板"}, "project", "project=message-board"),
        ({"project": "con"}, "project", "project=con-board"),
        ({"project": "NUL"}, "project", "project=NUL-board"),
        ({"project": "Aux"}, "project", "project=Aux-board"),
        ({"project": "com1"}, "project", "project=com1-board"),
        ({"project": "LPT9"}, "project", "project=LPT9-board"),
        ({"project": "con.txt"}, "project", "project=con-board.txt"),
        ({"project": "prn.tar.gz"}, "project", "project=prn-board.tar.gz"),
        # project_name
        ({"project_name": ""}, "project_name", 'project_name="Message Board"'),
        ({"project_name": "  "}, "project_name", 'project_name="Message Board"'),
        # emails
        ({"author_email": "bob"}, "author_email", "author_email=you@example.com"),
        ({"author_email": ""}, "author_email", "author_email=you@example.com"),
        ({"author_email": "bob@localhost"}, "author_email", "author_email=you@example.com"),
        ({"author_email": "@example.com"}, "author_email", "author_email=you@example.com"),
        ({"author_email": "a@b@example.com"}, "author_email", "author_email=you@example.com"),
        ({"author_email": "bob@example..com"}, "author_email", "author_email=you@example.com"),
        ({"author_email": "bob @example.com"}, "author_email", "author_email=you@example.com"),
        ({"admin_email": "bob"}, "admin_email", "admin_email=you@example.com"),
        ({"admin_email": " bob@example.com "}, "admin_email", "admin_email=bob@example.com"),
        ({"admin_email": "<bob@example.com>"}, "admin_email", "admin_email=bob@example.com"),
        (
            {"admin_email": "Bob <bob@example.com>"},
            "admin_email",
            "admin_email=you@example.com",
        ),
        # database
        ({"database": "oracle"}, "database", "database=sqlite"),
        ({"database": "postgres"}, "database", "database=postgresql"),
        ({"database": "MariaDB"}, "database", "database=mysql"),
        ({"database": "SQLite"}, "database", "database=sqlite"),
        # email_confirmation
        ({"email_confirmation": "Required"}, "email_confirmation", "email_confirmation=required"),
        ({"email_confirmation": "yes"}, "email_confirmation", "email_confirmation=optional"),
        # language
        ({"language": "zh-CN"}, "language", "language=zh_Hans"),
        ({"language": "zh_hans"}, "language", "language=zh_Hans"),
        ({"language": "fr"}, "language", "language=en"),
    ],
)
def test_bad_answer_gets_one_line_with_a_fix(changes, field, fix):
    lines = hook.problems(answers(**changes))
    assert len(lines) == 1, lines
    (line,) = lines
    assert line.startswith(field), line
    assert line.endswith(fix), line
    assert "\n" not in line


def test_bad_admin_email_suggests_the_author_email():
    lines = hook.problems(answers(author_email="ann@example.org", admin_email="ann"))
    assert lines == [
        "admin_email 'ann' is not an email address (it needs exactly one '@');"
        " pass admin_email=ann@example.org"
    ]


def test_suggestions_are_themselves_accepted():
    for bad in ["class", "email", "Email", "2048", "my-board", "app", "", "留言板", "_x"]:
        suggestion = hook.suggest_package(bad, "liu-yan-ban")
        assert hook.problems(answers(package=suggestion)) == [], (bad, suggestion)
    for bad in ["a/b", ".", "..", "-rf", "", "留言板", "my board", "--", "con", "Lpt1.txt"]:
        suggestion = hook.suggest_project(bad, "message_board")
        assert hook.problems(answers(project=suggestion)) == [], (bad, suggestion)


def test_empty_package_names_both_fields():
    lines = hook.problems(answers(project_name="!!!", package="", project="board"))
    assert len(lines) == 1
    assert "package is empty" in lines[0]
    assert "'!!!'" in lines[0]
    assert lines[0].endswith("pass package=board and project=board")


def test_empty_package_and_project_is_one_line():
    lines = hook.problems(answers(project_name="!!!", package="", project=""))
    assert lines == [
        "project and package are empty: project name '!!!' has no ASCII letters or digits to"
        " make them from; pass project=message-board and package=message_board"
    ]


def test_every_problem_is_reported_at_once():
    bad = answers(package="class", project="a/b", author_email="x", admin_email="y", database="z")
    lines = hook.problems(bad)
    assert [line.split()[0] for line in lines] == [
        "package",
        "project",
        "author_email",
        "admin_email",
        "database",
    ]


def test_control_characters_stay_on_one_line():
    (line,) = hook.problems(answers(package="a\nb"))
    assert "\n" not in line
    assert line.endswith("package=a_b")


def test_main_prints_problems_and_exits_1(monkeypatch, capsys):
    monkeypatch.setattr(hook, "ANSWERS_JSON", json.dumps(answers(package="class")))
    assert hook.main() == 1
    err = capsys.readouterr().err
    assert "package 'class' is a Python keyword; pass package=class_board" in err
    assert err.endswith(f"{hook.NOTHING_GENERATED}\n")


def test_main_is_silent_on_good_answers(monkeypatch, capsys):
    monkeypatch.setattr(hook, "ANSWERS_JSON", json.dumps(GOOD))
    assert hook.main() == 0
    assert capsys.readouterr() == ("", "")


def test_rendered_hook_reads_back_every_answer(tmp_path):
    """Render the hook as cookiecutter does and check ANSWERS_JSON round-trips hostile text."""
    context = {
        "cookiecutter": answers(project_name="a'''b\"\"\"c\\'\\\\d</script>&\n\t\U0001f680")
    }
    source = create_env_with_context(context).from_string(HOOK.read_text("utf-8"))
    rendered = tmp_path / "pre_gen_project.py"
    rendered.write_text(source.render(**context), encoding="utf-8")
    assert json.loads(runpy.run_path(str(rendered))["ANSWERS_JSON"]) == context["cookiecutter"]


# Real cookiecutter runs. The answers are checked as soon as they are all known (by
# answers_extension.py, before cookiecutter creates any folder); runs that skip the prompts
# meet the same checks in the pre-gen hook.


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"package": "class"}, "package 'class' is a Python keyword; pass package=class_board"),
        ({"package": "json"}, "pass package=json_board"),
        ({"project_name": "Flask"}, "package 'flask' would shadow 'flask'"),
        ({"project": "-board"}, "project '-board' starts with '-'"),
        ({"project": "a\\b"}, "pass project=a-b"),
        ({"project": "a/b"}, "project 'a/b' contains a path separator; pass project=a-b"),
        ({"project": "con"}, "pass project=con-board"),
        ({"admin_email": "bob"}, "admin_email 'bob' is not an email address"),
        ({"author_email": "bob at example.com"}, "pass author_email=you@example.com"),
        ({"project_name": "!!!", "project": "board", "package": ""}, "package is empty"),
        ({"project_name": ""}, "project_name '' is empty"),
        ({"database": "postgres"}, "pass database=postgresql"),
    ],
)
def test_bad_answers_stop_cookiecutter_and_leave_nothing(tmp_path, extra, message):
    with pytest.raises(FailedHookException) as stopped:
        generate(tmp_path, run_setup=False, **extra)
    assert message in str(stopped.value)
    assert str(stopped.value).endswith(hook.NOTHING_GENERATED)
    assert list(tmp_path.iterdir()) == []  # not even an empty `a` for project=a/b


def cookiecutter_command(cwd, *args):
    """The real `cookiecutter` command line, into cwd/out (which it creates), blind to the
    user's ~/.cookiecutterrc."""
    command = [sys.executable, "-m", "cookiecutter", "--default-config", str(TEMPLATE)]
    command += ["-o", "out", *args]
    return run(command, cwd, check=False)


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        # A choice variable's bad value would be cookiecutter's own ValueError traceback,
        # raised before any hook runs: `database` is free text that the checks validate.
        (
            "database=postgres",
            "database 'postgres' is not one of sqlite, postgresql, mysql;"
            " pass database=postgresql",
        ),
        ("project=a/b", "project 'a/b' contains a path separator; pass project=a-b"),
        (
            "project_name=",
            "project_name '' is empty: the README and the page titles show it;"
            ' pass project_name="Message Board"',
        ),
    ],
)
def test_command_line_prints_one_line_per_problem_and_no_traceback(tmp_path, answer, message):
    result = cookiecutter_command(tmp_path, "--no-input", "run_setup=false", answer)
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert output.strip().splitlines() == [message, hook.NOTHING_GENERATED], output
    assert not (tmp_path / "out").exists()


def test_replayed_bad_answers_meet_the_pre_gen_hook(tmp_path):
    """A replay skips the prompts, and with them the early check: the hook still stops it."""
    replay = tmp_path / "replay.json"
    context = {**answers(package="class"), "__answers_checked": ""}
    replay.write_text(json.dumps({"cookiecutter": context}), encoding="utf-8")
    result = cookiecutter_command(tmp_path, "--replay-file", str(replay))
    assert result.returncode == 1
    assert "package 'class' is a Python keyword; pass package=class_board" in result.stderr
    assert list((tmp_path / "out").iterdir()) == []


def test_non_ascii_project_name_is_transliterated(tmp_path):
    project = generate(tmp_path, project_name="留言板", run_setup=False)
    assert project.name == "liu-yan-ban"
    assert (project / "liu_yan_ban" / "__init__.py").is_file()
    assert 'name = "liu-yan-ban"' in (project / "pyproject.toml").read_text(encoding="utf-8")


# Text answers that have broken generated projects: quotes and backslashes in Python and TOML
# strings, characters outside the BMP (which |tojson writes as surrogate pairs), combining
# marks, and the control characters TOML forbids raw.
HOSTILE_TEXT = [
    "It's \"Bob's\" '''board''' \"\"\" \\ C:\\new \\",
    "Board \U0001f680 \U0001f469\u200d\U0001f4bb",
    "Cafe\u0301 n\u0303 \u0915\u094d\u0937",
    "Z\u0351\u036b\u0343\u036a\u0302a\u0310\u0361\u0489l\u0334\u0315g\u0360\u0489o\u0336",
    "tab\there, DEL\x7f, NEL\x85, LS\u2028, BOM\ufeff",
]

PAGE = """
import json
from hostile import create_app
from hostile.extensions import db

app = create_app("testing")
with app.app_context():
    db.create_all()
response = app.test_client().get("/")
print(json.dumps({"status": response.status_code, "page": response.get_data(as_text=True)}))
"""


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_any_text_answer_renders_into_valid_code_and_pages(tmp_path, text):
    project = generate(
        tmp_path,
        project_name=text,
        description=text,
        author_name=text,
        project="hostile",
        package="hostile",
        run_setup=False,
    )

    for path in project.rglob("*.py"):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    metadata = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert metadata["description"] == text
    assert metadata["authors"][0]["name"] == text
    for path in [*project.rglob("*.yml"), *project.rglob("*.yaml")]:
        yaml.safe_load(path.read_text(encoding="utf-8"))
    readme = (project / "README.md").read_text(encoding="utf-8").split("\n")
    assert readme[0] == f"# {text}" and readme[2] == text

    result = json.loads(run([sys.executable, "-c", PAGE], project).stdout)
    assert result["status"] == 200
    assert f"{escape(text)}</title>" in result["page"]


def test_quoted_strings_read_back_in_python_and_toml(monkeypatch):
    monkeypatch.syspath_prepend(str(TEMPLATE))  # as cookiecutter and cruft do
    from answers_extension import quoted

    text = "".join(map(chr, range(0x20))) + "\x7f\x80\x9f\u2028\ufeff\"\\'\U0001f680e\u0301"
    assert ast.literal_eval(quoted(text)) == text
    assert tomllib.loads(f"text = {quoted(text)}")["text"] == text
