"""Where a board page's time goes, component by component: an in-process cProfile.

    python benchmarks/profile_pages.py [--messages 100000] [--requests 300] [--database sqlite]

Generates a project, makes a database (`flask db upgrade`, `flask seed --demo`, an account
from `flask users create`) and, in one Python per column, loads the app as gunicorn would
(`wsgi:app`, production config) and requests the board's first page through Flask's test
client: anonymously with the page cache on (the default) and off, and logged in (through
the login form). --requests requests are timed without the profiler, then as many again
are profiled.

Every function's own time (cProfile's tottime) goes to the component of its module
(COMPONENTS, first match). Shared code (werkzeug, itsdangerous, markupsafe, the standard
library, C functions) belongs to whoever calls it: its time is split over its callers in
proportion to the time each call took, up the call graph to a component. So the session's
signing counts as the session, the user loader's query as SQL, and a url_for() in a
template as template rendering. cProfile counts wall time, so on PostgreSQL the SQL row
includes the wait for the server's answers. Two limits: cProfile roughly doubles the cost of a
Python call, so shares matter more than milliseconds; and where shared code is reached
from several components, the split by caller is proportional, not traced.
Prints figures only; it asserts nothing. (Not named profile.py: that would shadow the
standard library's `profile`, which cProfile imports.)
"""

import argparse
import os
import pstats
import subprocess
import sys
import sysconfig
import tempfile
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path

import databases
import generation

FLASK = "Flask request setup/teardown"
SESSION = "session (open, save)"
LOGIN = "login (user load)"
CSRF = "CSRF"
LIMITER = "Flask-Limiter"
SQL = "SQL (building and execution)"
TEMPLATES = "template rendering"
FORMS = "forms (WTForms)"
I18N = "i18n (Flask-Babel: dates, gettext)"
APP = "application code (views, hooks)"
CLIENT = "test client (not counted)"
SHARED = None  # the caller's component
P = generation.PACKAGE

# (module prefix, function name or None for any, component), first match wins.
COMPONENTS = [
    ("werkzeug.test", None, CLIENT),
    ("flask.testing", None, CLIENT),
    ("flask.app", "url_for", SHARED),  # called by views and templates alike
    ("flask.app", "update_template_context", TEMPLATES),
    ("flask.sessions", None, SESSION),
    ("flask.templating", None, TEMPLATES),
    ("jinja2", None, TEMPLATES),
    ("flask_bootstrap", None, TEMPLATES),
    ("<template>", None, TEMPLATES),  # the code Jinja compiles from the .html files
    ("flask_login", None, LOGIN),
    (f"{P}.models", "load_user", LOGIN),
    ("flask_wtf.csrf", None, CSRF),
    ("flask_limiter", None, LIMITER),
    ("limits", None, LIMITER),
    ("sqlalchemy", None, SQL),
    ("flask_sqlalchemy", None, SQL),
    ("flask_babel", None, I18N),
    ("babel", None, I18N),
    ("wtforms", None, FORMS),
    ("flask_wtf", None, FORMS),
    ("flask.app", None, FLASK),
    ("flask.sansio", None, FLASK),
    ("flask.ctx", None, FLASK),
    ("flask.wrappers", None, FLASK),
    (P, None, APP),
]
ORDER = [FLASK, SESSION, LOGIN, CSRF, LIMITER, SQL, TEMPLATES, FORMS, I18N, APP]

# label: (extra environment, log in first)
CASES = {
    "anonymous": ({}, False),
    "anon, cache off": ({"PAGE_CACHE_ENABLED": "false"}, False),
    "logged in": ({}, True),
}

# Runs inside the generated project: argv = stats file, requests, [email, password].
MEASURE = """
import cProfile, functools, re, sys, time
from wsgi import app

stats_file, requests, *login = sys.argv[1], int(sys.argv[2]), *sys.argv[3:]
client = app.test_client()
get = functools.partial(client.get, base_url="https://localhost")  # cookies are Secure
if login:
    form = get("/auth/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)[1]
    data = {"csrf_token": token, "email": login[0], "password": login[1]}
    # Over HTTPS, Flask-WTF also wants a same-site Referer, as a browser sends.
    headers = {"Referer": "https://localhost/auth/login"}
    response = client.post("/auth/login", data=data, headers=headers, base_url="https://localhost")
    assert response.status_code == 302, f"login answered {response.status_code}"
page = get("/")
assert page.status_code == 200 and "message-body" in page.text, page.status_code
assert ("Log out" in page.text) == bool(login), "not the page asked for"
for _ in range(20):  # warm up: templates compiled, statements cached, the cache filled
    get("/")
started = time.perf_counter()
for _ in range(requests):
    get("/")
print((time.perf_counter() - started) / requests)
profiler = cProfile.Profile()
profiler.enable()
for _ in range(requests):
    get("/")
profiler.disable()
profiler.dump_stats(stats_file)
"""


def module_of(filename, project):
    """A dotted module name for a code object's file ("" for C functions and the like)."""
    path = Path(filename)
    if path.suffix == ".html":
        return "<template>"
    roots = [project, sysconfig.get_paths()["purelib"], sysconfig.get_paths()["stdlib"]]
    for root in map(Path, roots):
        if path.is_relative_to(root):
            return ".".join(path.relative_to(root).with_suffix("").parts)
    return ""


def component_of(function, project):
    """The component that owns `function` ((file, line, name)), or SHARED."""
    filename, _line, name = function
    module = module_of(filename, project)
    for prefix, function_name, component in COMPONENTS:
        in_module = module == prefix or module.startswith(prefix + ".")
        if in_module and function_name in (None, name):
            return component
    return SHARED


def attribute(stats, project):
    """{component: seconds}: each function's own time, shared code's by its callers."""
    owners, shares = {}, {}

    def owner(function):
        if function not in owners:
            owners[function] = component_of(function, project)
        return owners[function]

    def share(function, path=frozenset()):
        """{component: fraction} of `function`'s time."""
        if (component := owner(function)) is not SHARED:
            return {component: 1.0}
        if function in shares:
            return shares[function]
        callers = {
            caller: edge[3] or 1e-12  # the caller's share: the time its calls took
            for caller, edge in stats[function][4].items()
            if caller != function and caller not in path  # recursion
        }
        result = defaultdict(float)
        total = sum(callers.values())
        for caller, weight in callers.items():
            for component, fraction in share(caller, path | {function}).items():
                result[component] += fraction * weight / total
        if not callers:
            result["other"] = 1.0
        shares[function] = result
        return result

    times = defaultdict(float)
    for function, (_cc, _nc, tottime, _ct, _callers) in stats.items():
        for component, fraction in share(function).items():
            times[component] += tottime * fraction
    return times


def measure(messages=100_000, requests=300, database="sqlite"):
    """{case: ({component: ms per request}, ms per request without the profiler)}."""
    results = {}
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        project = databases.generate_project(Path(tmp), database)
        url = stack.enter_context(databases.seeded(project, database, "profile", messages))
        email, password = databases.create_user(project, url)
        env = os.environ | {
            "FLASK_CONFIG": "production",
            "DATABASE_URL": url,
            "RATELIMIT_ALLOW_PER_PROCESS": "1",
            "MAIL_ENABLED": "false",
        }
        for case, (extra, log_in) in CASES.items():
            stats_file = Path(tmp) / "stats"
            command = [sys.executable, "-c", MEASURE, str(stats_file), str(requests)]
            command += [email, password] if log_in else []
            result = subprocess.run(
                command, cwd=project, env=env | extra, capture_output=True, text=True
            )
            if result.returncode:
                sys.exit(f"profiling {case!r} failed:\n{result.stderr}")
            times = attribute(pstats.Stats(str(stats_file)).stats, project)
            per_request = {name: seconds * 1e3 / requests for name, seconds in times.items()}
            results[case] = per_request, float(result.stdout) * 1e3
    return results


def report(results, messages, database):
    """The table: ms per request and share of the request, one column per case."""
    counted = {  # the test client's own work is not the server's
        case: {name: ms for name, ms in times.items() if name != CLIENT}
        for case, (times, _wall) in results.items()
    }
    totals = {case: sum(times.values()) for case, times in counted.items()}
    # Time that reached no component (a profiled call without callers): shown if any.
    rest = {name for times in counted.values() for name, ms in times.items() if ms >= 0.005}
    print(f"\nboard first page, {database}, {messages:,} msgs: ms per request under cProfile")
    print(f"{'component':<36}" + "".join(f"{case:>17}" for case in results))
    for name in ORDER + sorted(rest - set(ORDER)):
        cells = (
            f"{times.get(name, 0):>10.2f} {times.get(name, 0) / totals[case]:>6.0%}"
            for case, times in counted.items()
        )
        print(f"{name:<36}" + "".join(cells))
    total_cells = (f"{ms:>10.2f}   100%" for ms in totals.values())
    print(f"{'total (the request in Flask)':<36}" + "".join(total_cells))
    walls = (f"{wall:>10.2f}{'':>7}" for _times, wall in results.values())
    print(f"{'without the profiler, client incl.':<36}" + "".join(walls))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300, help="timed, then profiled")
    parser.add_argument("--database", choices=databases.DATABASES, default="sqlite")
    args = parser.parse_args()
    report(measure(args.messages, args.requests, args.database), args.messages, args.database)


if __name__ == "__main__":
    main()
