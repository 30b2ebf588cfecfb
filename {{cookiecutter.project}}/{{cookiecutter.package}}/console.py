"""Terminal output of the setup steps: one line per step, with its status and time.

Standard library only: the cookiecutter hook loads this file by its path, before the
project's dependencies may be installed, so the hook and `flask setup` print the same.
"""

import os
import sys
import time


class StepFailed(Exception):
    """A step failed; the message is one line: which step, and why."""


# Status -> (mark, fallback mark for terminals that cannot show it, ANSI colour).
STATUS_STYLES = {"ok": ("\u2713", "+", "32"), "FAILED": ("\u2717", "x", "31")}
WARNING_STYLE = ("!", "!", "33")


def step_line(name, status, summary, seconds=None, stream=None):
    """`  name      ok      summary  (0.12s)`. On a terminal a mark replaces the indent and
    the status is coloured, unless NO_COLOR is set; piped or captured output stays plain."""
    stream = stream or sys.stdout
    timing = "" if seconds is None else f"  ({seconds:.2f}s)"
    isatty = getattr(stream, "isatty", None)
    if not (isatty and isatty()):
        return f"  {name:<10}{status:<8}{summary}{timing}"
    mark, fallback, colour = (
        WARNING_STYLE if summary.startswith("WARNING") else STATUS_STYLES[status]
    )
    try:
        mark.encode(getattr(stream, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        mark = fallback
    word = f"{status:<8}"
    if not os.environ.get("NO_COLOR"):
        mark = f"\033[{colour}m{mark}\033[0m"
        word = f"\033[{colour}m{status}\033[0m{' ' * (8 - len(status))}"
    return f"{mark} {name:<10}{word}{summary}{timing}"


def first_line(exc):
    text = str(exc)
    return text.splitlines()[0] if text else type(exc).__name__


def run_step(name, action, echo=print):
    """Run `action()`, which returns a one-line summary, and print its step line.
    Any error is printed as the step's FAILED line (and the lines of its message after
    the first, indented below) and raised again as StepFailed."""
    started = time.perf_counter()
    try:
        summary = action()
    except Exception as exc:
        echo(step_line(name, "FAILED", first_line(exc)))
        for line in str(exc).splitlines()[1:]:
            echo(f"    {line}")
        raise StepFailed(f"{name} failed: {first_line(exc)}") from exc
    echo(step_line(name, "ok", summary, time.perf_counter() - started))
    return summary
