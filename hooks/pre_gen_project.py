"""Pre-generation hook: reject answers that would give a broken project.

Each problem is one line naming the field and a value to pass instead, e.g.
`cookiecutter <template> package=class_board`. The same rejection() below runs twice:

- as soon as the last answer is given: cookiecutter.json's `__answers_checked` applies
  answers_extension.py's check_answers filter, before cookiecutter creates any folder, and
  the `cookiecutter` command prints the lines without a traceback;
- as cookiecutter's pre-gen hook, this file, for runs that skip the prompts (`--replay`, a
  context handed to generate_files()): cookiecutter runs it (after rendering it with Jinja)
  before it writes any template file, and removes the project folder when it exits non-zero.

Python 3.10+ standard library only: the interpreter running cookiecutter may have nothing else.
The answers are parsed in main(), so tests and the extension can import this file unrendered.
"""

import json
import keyword
import re
import sys

# Rendered by cookiecutter: Jinja's tojson escapes ' (and <, >, &), so no answer can end this
# raw string early, and backslashes reach json.loads untouched.
ANSWERS_JSON = r"""{{ cookiecutter | tojson }}"""

DATABASES = ("sqlite", "postgresql", "mysql")
EMAIL_CONFIRMATIONS = ("optional", "required", "off")
LANGUAGES = ("en", "zh_Hans")
# What people type for the two languages, and the locale each means.
LANGUAGE_ALIASES = {
    "english": "en",
    "en_us": "en",
    "en_gb": "en",
    "zh": "zh_Hans",
    "zh_cn": "zh_Hans",
    "zh_hans": "zh_Hans",
    "chinese": "zh_Hans",
}

DATABASE_ALIASES = {
    "sqlite3": "sqlite",
    "postgres": "postgresql",
    "pg": "postgresql",
    "psql": "postgresql",
    "mariadb": "mysql",
}

# Modules the generated app, its tests and its tools import: a package with one of these names
# would shadow it (the project folder is on sys.path when running `flask` or `pytest`).
THIRD_PARTY = {
    "flask",
    "flask_sqlalchemy",
    "flask_migrate",
    "flask_login",
    "flask_bcrypt",
    "flask_wtf",
    "flask_bootstrap",
    "flask_limiter",
    "flask_babel",
    "babel",
    "wtforms",
    "sqlalchemy",
    "alembic",
    "werkzeug",
    "jinja2",
    "markupsafe",
    "itsdangerous",
    "click",
    "blinker",
    "dotenv",
    "email_validator",
    "zxcvbn",
    "spectree",
    "pydantic",
    "schemathesis",
    "hypothesis",
    "openapi_spec_validator",
    "bcrypt",
    "psycopg",
    "pymysql",
    "greenlet",
    "typing_extensions",
    "nh3",
    "markdown",
    "markdown_it",
    "pytest",
    "_pytest",
    "pluggy",
    "ruff",
    "gunicorn",
    "mako",
    "setuptools",
    "pkg_resources",
    "pip",
}
# Folders and modules of the generated project itself, and names tools treat specially.
PROJECT_NAMES = {"app", "test", "tests", "migrations", "instance", "config", "setup"}
# The project may run on another Python than cookiecutter's: names that left the standard
# library in 3.12/3.13 or joined it after 3.10 still count.
OTHER_STDLIB = {
    "asynchat",
    "asyncore",
    "distutils",
    "imp",
    "smtpd",
    "aifc",
    "audioop",
    "cgi",
    "cgitb",
    "chunk",
    "crypt",
    "imghdr",
    "lib2to3",
    "mailcap",
    "msilib",
    "nis",
    "nntplib",
    "ossaudiodev",
    "pipes",
    "sndhdr",
    "spwd",
    "sunau",
    "telnetlib",
    "uu",
    "xdrlib",
    "tomllib",
    "annotationlib",
    "compression",
}
STDLIB = set(sys.stdlib_module_names) | OTHER_STDLIB
# Device names Windows reserves in every folder, in any case and with any extension (`con.txt`):
# no file or folder can have one of them as its name there.
WINDOWS_DEVICE_RE = re.compile(r"(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?", re.IGNORECASE)

# A PEP 508 distribution name: `project` is also `name` in pyproject.toml.
PROJECT_RE = re.compile(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?")
# One '@', no spaces, quotes, brackets or separators that only belong in display forms.
EMAIL_BAD_CHARS = re.compile(r"""[\s"(),:;<>\[\]\\]""")

DEFAULT_PROJECT_NAME = "Message Board"
DEFAULT_PACKAGE = "message_board"
DEFAULT_PROJECT = "message-board"
DEFAULT_EMAIL = "you@example.com"
NOTHING_GENERATED = "Nothing was generated; run cookiecutter again with the values above."


def is_windows_device(name):
    return WINDOWS_DEVICE_RE.fullmatch(name) is not None


def package_reason(value):
    """Why `value` cannot be the package name, or None when it can: the package rules."""
    if not value.isascii():
        return "has non-ASCII characters"
    if not value.isidentifier():
        return "is not a Python identifier (letters, digits and '_', not starting with a digit)"
    if keyword.iskeyword(value):
        return "is a Python keyword"
    if value != value.lower():
        return "has uppercase letters (PEP 8: lowercase)"
    if value.startswith("_"):
        return "starts with '_' (a private name)"
    if value in STDLIB:
        return f"would shadow the standard-library module {value!r}"
    if value in THIRD_PARTY:
        return f"would shadow {value!r}, which the app or its tools import"
    if value in PROJECT_NAMES:
        return "clashes with a module or folder of the project"
    if is_windows_device(value):
        return "is a device name on Windows, where its folder cannot be created"
    return None


def suggest_package(value, project=""):
    """A usable package name close to `value` (or to `project` when nothing is left of it)."""
    for source in (value, project):
        name = re.sub(r"[^a-z0-9]+", "_", str(source).lower()).strip("_")
        if name:
            break
    else:
        return DEFAULT_PACKAGE
    if name[0].isdigit():
        name = "board_" + name
    while package_reason(name):
        name += "_board"
    return name


def suggest_project(value, package=""):
    """A valid folder and distribution name close to `value` (or to `package`)."""
    for source in (value, package):
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", str(source).replace("_", "-"))
        name = re.sub(r"-{2,}", "-", name).strip("-._")
        if PROJECT_RE.fullmatch(name):
            stem, dot, rest = name.partition(".")
            return f"{stem}-board{dot}{rest}" if is_windows_device(name) else name
    return DEFAULT_PROJECT


def project_name_problem(value):
    """One line about `project_name`, or None when it is fine."""
    if value.strip():
        return None
    # It is the README's first heading and ends every page title.
    return (
        f"project_name {value!r} is empty: the README and the page titles show it;"
        f' pass project_name="{DEFAULT_PROJECT_NAME}"'
    )


def package_problem(value, project, project_name):
    """One line about `package`, or None when it is fine."""
    if value == "":
        return (
            f"package is empty: project name {project_name!r} has no ASCII letters or digits"
            f" to make it from; pass package={suggest_package('', project)}"
            f" and project={suggest_project(project, DEFAULT_PACKAGE)}"
        )
    reason = package_reason(value)
    if reason is None:
        return None
    return f"package {value!r} {reason}; pass package={suggest_package(value, project)}"


def project_problem(value, package):
    """One line about `project` (the folder and distribution name), or None when it is fine."""
    fix = f"pass project={suggest_project(value, package)}"
    if value == "":
        return f"project (the folder to create) is empty; {fix}"
    if "/" in value or "\\" in value:
        return f"project {value!r} contains a path separator; {fix}"
    if value in (".", ".."):
        return f"project {value!r} is not a folder name; {fix}"
    if value.startswith("-"):
        return f"project {value!r} starts with '-' (read as a command-line option); {fix}"
    if not PROJECT_RE.fullmatch(value):
        return (
            f"project {value!r} must use only ASCII letters, digits, '-', '_' and '.',"
            f" and start and end with a letter or digit; {fix}"
        )
    if is_windows_device(value):
        return f"project {value!r} is a device name on Windows, not a folder name; {fix}"
    return None


def email_reason(value):
    """Why `value` is not a plausible email address, or None when it looks like one."""
    if value == "":
        return "is empty"
    if EMAIL_BAD_CHARS.search(value):
        return "is not an email address (it has spaces, quotes or brackets)"
    if value.count("@") != 1:
        return "is not an email address (it needs exactly one '@')"
    local, domain = value.split("@")
    if not local:
        return "is not an email address (nothing before '@')"
    if "." not in domain or not all(domain.split(".")):
        return "is not an email address (the part after '@' needs a domain like example.com)"
    return None


def email_problem(field, value, fallback):
    """One line about an email field, or None when it is fine."""
    reason = email_reason(value)
    if reason is None:
        return None
    stripped = value.strip().strip("<>").strip()
    suggestion = stripped if email_reason(stripped) is None else fallback
    return f"{field} {value!r} {reason}; pass {field}={suggestion}"


def database_problem(value):
    """One line about `database`, or None when it is one of the choices."""
    if value in DATABASES:
        return None
    lowered = value.strip().lower()
    suggestion = lowered if lowered in DATABASES else DATABASE_ALIASES.get(lowered, DATABASES[0])
    return f"database {value!r} is not one of {', '.join(DATABASES)}; pass database={suggestion}"


def email_confirmation_problem(value):
    """One line about `email_confirmation`, or None when it is one of the choices."""
    if value in EMAIL_CONFIRMATIONS:
        return None
    lowered = value.strip().lower()
    suggestion = lowered if lowered in EMAIL_CONFIRMATIONS else EMAIL_CONFIRMATIONS[0]
    return (
        f"email_confirmation {value!r} is not one of {', '.join(EMAIL_CONFIRMATIONS)};"
        f" pass email_confirmation={suggestion}"
    )


def language_problem(value):
    """One line about `language`, or None when it is one of the choices."""
    if value in LANGUAGES:
        return None
    lowered = value.strip().lower().replace("-", "_")
    suggestion = LANGUAGE_ALIASES.get(lowered, LANGUAGES[0])
    return f"language {value!r} is not one of {', '.join(LANGUAGES)}; pass language={suggestion}"


def problems(answers):
    """Every problem with the answers, one line each; an empty list when all is well."""
    text = {key: str(answers.get(key, "")) for key in answers}
    project_name = text.get("project_name", "")
    project = text.get("project", "")
    package = text.get("package", "")
    found = [project_name_problem(project_name)]
    if project == "" and package == "":
        found.append(
            f"project and package are empty: project name {project_name!r} has no ASCII"
            f" letters or digits to make them from; pass project={DEFAULT_PROJECT}"
            f" and package={DEFAULT_PACKAGE}"
        )
    else:
        found.append(package_problem(package, project, project_name))
        found.append(project_problem(project, package))
    author_email = text.get("author_email", "")
    found.append(email_problem("author_email", author_email, DEFAULT_EMAIL))
    admin_fallback = author_email if email_reason(author_email) is None else DEFAULT_EMAIL
    found.append(email_problem("admin_email", text.get("admin_email", ""), admin_fallback))
    found.append(database_problem(text.get("database", "")))
    # Absent from a replay file made before the prompt existed: the default then.
    found.append(email_confirmation_problem(text.get("email_confirmation", "optional")))
    found.append(language_problem(text.get("language", "en")))
    return [line for line in found if line]


def rejection(answers):
    """What stops the generation: the problems and what to do, or None when all is well."""
    lines = problems(answers)
    return "\n".join([*lines, NOTHING_GENERATED]) if lines else None


def main():
    message = rejection(json.loads(ANSWERS_JSON))
    if message:
        print(message, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
