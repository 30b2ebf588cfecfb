"""The pre-gen hook: bad answers get one line each naming a fix, and nothing is generated."""

import importlib.util
import json
from pathlib import Path

import pytest
from cookiecutter.exceptions import FailedHookException
from cookiecutter.main import cookiecutter
from cookiecutter.utils import create_env_with_context

TEMPLATE = Path(__file__).resolve().parents[1]
HOOK = TEMPLATE / "hooks" / "pre_gen_project.py"


def load_hook():
    """The unrendered hook as a module: importing it must not parse the Jinja placeholder."""
    spec = importlib.util.spec_from_file_location("pre_gen_project", HOOK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hook = load_hook()

GOOD = {
    "project_name": "Message Board",
    "project": "message-board",
    "package": "message_board",
    "description": "A message board.",
    "author_name": "Your Name",
    "author_email": "you@example.com",
    "admin_email": "admin@example.com",
    "database": "sqlite",
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
        {"project_name": "It's \"Bob's\" '''board''' \\ C:\\new"},
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
    for bad in ["a/b", ".", "..", "-rf", "", "留言板", "my board", "--"]:
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


def test_main_is_silent_on_good_answers(monkeypatch, capsys):
    monkeypatch.setattr(hook, "ANSWERS_JSON", json.dumps(GOOD))
    assert hook.main() == 0
    assert capsys.readouterr() == ("", "")


# Real cookiecutter runs. run_setup=False keeps the post-gen hook light; cookiecutter 2.7 turns
# the text "false" for a boolean variable into False (as on the command line), a bool passes as is.


@pytest.fixture
def bake(tmp_path, tmp_path_factory):
    """Run cookiecutter into an empty `out` folder, with a user config of its own."""
    home = tmp_path_factory.mktemp("cookiecutter-home")
    config = home / "config.yaml"
    config.write_text(
        f"cookiecutters_dir: {json.dumps(str(home / 'cookiecutters'))}\n"
        f"replay_dir: {json.dumps(str(home / 'replay'))}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    out.mkdir()

    def run(**extra):
        path = cookiecutter(
            str(TEMPLATE),
            no_input=True,
            extra_context={"run_setup": "false", **extra},
            output_dir=str(out),
            config_file=str(config),
        )
        return Path(path)

    run.out = out
    return run


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"package": "class"}, "package 'class' is a Python keyword; pass package=class_board"),
        ({"package": "json"}, "pass package=json_board"),
        ({"project_name": "Flask"}, "package 'flask' would shadow 'flask'"),
        ({"project": "-board"}, "project '-board' starts with '-'"),
        ({"project": "a\\b"}, "pass project=a-b"),
        ({"admin_email": "bob"}, "admin_email 'bob' is not an email address"),
        ({"author_email": "bob at example.com"}, "pass author_email=you@example.com"),
        ({"project_name": "!!!", "project": "board", "package": ""}, "package is empty"),
    ],
)
def test_bad_answers_stop_cookiecutter_and_leave_nothing(bake, capfd, extra, message):
    with pytest.raises(FailedHookException):
        bake(**extra)
    assert message in capfd.readouterr().err
    assert list(bake.out.iterdir()) == []


def test_nested_project_path_writes_no_file(bake, capfd):
    # cookiecutter makes the project folder (with parents) before the hook runs and removes
    # only the folder itself on failure: an empty `a` stays behind, but no file is written.
    with pytest.raises(FailedHookException):
        bake(project="a/b")
    assert "project 'a/b' contains a path separator; pass project=a-b" in capfd.readouterr().err
    assert [p for p in bake.out.rglob("*") if not p.is_dir()] == []
    assert not (bake.out / "a" / "b").exists()


def test_non_ascii_project_name_is_transliterated(bake):
    project = bake(project_name="留言板")
    assert project.name == "liu-yan-ban"
    assert (project / "liu_yan_ban" / "__init__.py").is_file()
    assert 'name = "liu-yan-ban"' in (project / "pyproject.toml").read_text(encoding="utf-8")


def test_quotes_and_backslashes_do_not_break_the_hook(bake):
    name = "It's \"Bob's\" '''board''' \\ C:\\new \\"
    project = bake(project_name=name, project="quoted", package="quoted", run_setup=False)
    assert project == bake.out / "quoted"
    assert (project / "quoted").is_dir()


def test_rendered_hook_reads_back_every_answer(tmp_path):
    """Render the hook as cookiecutter does and check ANSWERS_JSON round-trips hostile text."""
    context = {"cookiecutter": answers(project_name="a'''b\"\"\"c\\'\\\\d</script>&\n\t")}
    source = create_env_with_context(context).from_string(HOOK.read_text("utf-8"))
    rendered = tmp_path / "pre_gen_project.py"
    rendered.write_text(source.render(**context), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("rendered_pre_gen", rendered)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert json.loads(module.ANSWERS_JSON) == context["cookiecutter"]
