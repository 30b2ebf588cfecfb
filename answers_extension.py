"""This template's Jinja extension (cookiecutter.json `_extensions`): how answers get checked
and how they are written into the generated code.

cookiecutter and cruft (tests/test_cruft.py) both put the template's folder on sys.path while
they render, so this module imports by name. Like the hooks, it may use nothing but the
standard library, Jinja and cookiecutter: the Python running cookiecutter may have nothing else.
"""

import importlib.util
import json
from pathlib import Path

from cookiecutter.exceptions import FailedHookException
from jinja2.ext import Extension


def load_pre_gen_hook():
    """The pre-gen hook's rules, loaded once with this module: Python keeps the module
    imported after cruft has deleted the temporary copy of the template it came from."""
    path = Path(__file__).resolve().parent / "hooks" / "pre_gen_project.py"
    spec = importlib.util.spec_from_file_location("pre_gen_project", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PRE_GEN_HOOK = load_pre_gen_hook()


def quoted(value):
    """`value` as a double-quoted string literal that Python and TOML both read back as is."""
    # Jinja's |tojson writes an emoji as a surrogate-pair escape ("\ud83d\ude80"): two lone
    # surrogates to Python, an error to TOML. ensure_ascii=False keeps it literal. JSON
    # escapes every other control character but leaves U+007F raw, which TOML forbids.
    return json.dumps(str(value), ensure_ascii=False).replace("\x7f", "\\u007f")


def check_answers(answers):
    """Render nothing when every answer is fine; else stop with one line per problem.

    cookiecutter.json's last prompt-time variable applies this to all the answers, before
    cookiecutter creates the project folder. FailedHookException is what a failing pre-gen
    hook raises, so callers see the same exception, and the `cookiecutter` command prints
    its message alone, where a failing hook also gets a traceback.
    """
    message = PRE_GEN_HOOK.rejection(answers)
    if message:
        raise FailedHookException(message)
    return ""


class AnswersExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.filters["quoted"] = quoted
        environment.filters["check_answers"] = check_answers
