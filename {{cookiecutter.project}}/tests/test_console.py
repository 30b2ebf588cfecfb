"""The step lines the setup prints (console.py, shared with the cookiecutter hook):
plain when piped, marked and coloured on a terminal."""

import io

from {{ cookiecutter.package }}.console import step_line


class Terminal(io.StringIO):
    encoding = "utf-8"

    def isatty(self):
        return True


class OldTerminal(Terminal):
    encoding = "ascii"


def test_plain_when_not_a_terminal():
    assert step_line("seed", "ok", "3 roles", 0.5, stream=io.StringIO()) == (
        "  seed      ok      3 roles  (0.50s)"
    )
    # The longest step name still leaves a space before its status.
    assert step_line("revisions", "ok", "5", stream=io.StringIO()).startswith("  revisions ok ")
    assert step_line("upgrade", "FAILED", "boom", stream=io.StringIO()) == (
        "  upgrade   FAILED  boom"
    )


def test_mark_and_colour_on_a_terminal(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    line = step_line("seed", "ok", "3 roles", 0.5, stream=Terminal())
    assert line == "\033[32m\u2713\033[0m seed      \033[32mok\033[0m      3 roles  (0.50s)"
    warning = step_line("migrate", "ok", "WARNING: models differed", stream=Terminal())
    assert warning.startswith("\033[33m!\033[0m migrate")
    failed = step_line("upgrade", "FAILED", "boom", stream=Terminal())
    assert failed == "\033[31m\u2717\033[0m upgrade   \033[31mFAILED\033[0m  boom"


def test_no_color_keeps_the_mark_and_ascii_terminals_get_a_plain_one(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    line = step_line("upgrade", "FAILED", "boom", stream=Terminal())
    assert line == "\u2717 upgrade   FAILED  boom"
    line = step_line("upgrade", "FAILED", "boom", stream=OldTerminal())
    assert line == "x upgrade   FAILED  boom"
