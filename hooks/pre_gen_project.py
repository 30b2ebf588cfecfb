"""Pre-generation hook: reject answers that would give a broken project.

cookiecutter runs this file (after rendering it with Jinja) before it writes any template
file; when it exits non-zero, cookiecutter removes the project folder it has just created.
Each problem is one line on stderr naming the field and a value to pass instead, e.g.
`cookiecutter <template> package=class_board`.

Python 3.10+ standard library only: the interpreter running cookiecutter may have nothing else.
The answers are parsed in main(), so tests can import this file unrendered and call problems().
"""

import json
import keyword
import re
import sys

# Rendered by cookiecutter: Jinja's tojson escapes ' (and <, >, &), so no answer can end this
# raw string early, and backslashes reach json.loads untouched.
ANSWERS_JSON = r"""{{ cookiecutter | tojson }}"""

DATABASES = ("sqlite", "postgresql", "mysql")
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
    "bcrypt",
    "psycopg",
    "pymysql",
    "greenlet",
    "typing_extensions",
    "nh3",
    "markdown",
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
RESERVED = STDLIB | THIRD_PARTY | PROJECT_NAMES

# A PEP 508 distribution name: `project` is also `name` in pyproject.toml.
PROJECT_RE = re.compile(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?")
# One '@', no spaces, quotes, brackets or separators that only belong in display forms.
EMAIL_BAD_CHARS = re.compile(r"""[\s"(),:;<>\[\]\\]""")

DEFAULT_PACKAGE = "message_board"
DEFAULT_PROJECT = "message-board"
DEFAULT_EMAIL = "you@example.com"


def package_is_usable(name):
    """True for a package name that passes every check in package_problem()."""
    return (
        name.isascii()
        and name.isidentifier()
        and name == name.lower()
        and not name.startswith("_")
        and not keyword.iskeyword(name)
        and name not in RESERVED
    )


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
    while not package_is_usable(name):
        name += "_board"
    return name


def suggest_project(value, package=""):
    """A valid folder and distribution name close to `value` (or to `package`)."""
    for source in (value, package):
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", str(source).replace("_", "-"))
        name = re.sub(r"-{2,}", "-", name).strip("-._")
        if PROJECT_RE.fullmatch(name):
            return name
    return DEFAULT_PROJECT


def package_problem(value, project, project_name):
    """One line about `package`, or None when it is fine."""
    if value == "":
        return (
            f"package is empty: project name {project_name!r} has no ASCII letters or digits"
            f" to make it from; pass package={suggest_package('', project)}"
            f" and project={suggest_project(project, DEFAULT_PACKAGE)}"
        )
    fix = f"pass package={suggest_package(value, project)}"
    if not value.isascii():
        return f"package {value!r} has non-ASCII characters; {fix}"
    if not value.isidentifier():
        return (
            f"package {value!r} is not a Python identifier (letters, digits and '_',"
            f" not starting with a digit); {fix}"
        )
    if keyword.iskeyword(value):
        return f"package {value!r} is a Python keyword; {fix}"
    if value != value.lower():
        return f"package {value!r} has uppercase letters (PEP 8: lowercase); {fix}"
    if value.startswith("_"):
        return f"package {value!r} starts with '_' (a private name); {fix}"
    if value in STDLIB:
        return f"package {value!r} would shadow the standard-library module {value!r}; {fix}"
    if value in THIRD_PARTY:
        return (
            f"package {value!r} would shadow {value!r}, which the app or its tools import; {fix}"
        )
    if value in PROJECT_NAMES:
        return f"package {value!r} clashes with a module or folder of the project; {fix}"
    return None


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


def problems(answers):
    """Every problem with the answers, one line each; an empty list when all is well."""
    text = {key: str(answers.get(key, "")) for key in answers}
    project_name = text.get("project_name", "")
    project = text.get("project", "")
    package = text.get("package", "")
    found = []
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
    return [line for line in found if line]


def main():
    answers = json.loads(ANSWERS_JSON)
    lines = problems(answers)
    for line in lines:
        print(line, file=sys.stderr)
    if lines:
        print(
            "Nothing was generated; run cookiecutter again with the values above.", file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
