"""Requests per second of a generated project under gunicorn, next to a bare Flask route.

    python benchmarks/throughput.py [--seconds 5] [--rounds 3] [--messages 1000000]
                                    [--database sqlite|postgresql]

Generates a project, makes two databases with `flask db upgrade` and `flask seed --demo`
(1,000 and --messages messages; SQLite files, or throwaway PostgreSQL databases on the
server named by TEST_POSTGRESQL_URL, dropped at the end) and serves, with gunicorn, 2
workers each and the project's gunicorn.conf.py: the bare route, each database with the
page cache on (the default), and the large one again with PAGE_CACHE_ENABLED=false.
Then `wrk` (2 threads, 16 connections, loopback) loads each URL for --seconds, in rounds
that interleave the URLs so machine noise hits every figure alike; the median counts.

Board pages are loaded anonymously, except the logged-in row: an account made with
`flask users create` logs in once (the login form, its CSRF token) and wrk sends its
session cookie. The deep page is loaded from the cache-off server, so that deep/first
compares two pages the database answers. The API list is loaded plain (200) and as a
polling client does, with the newest page's ETag in If-None-Match (304, no body).
The servers inherit the environment: with REDIS_URL set, rate limits and the page cache
use Redis. Prints figures only; it asserts nothing.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from contextlib import ExitStack
from pathlib import Path

import databases

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS.parent / "tests"))  # the tests' helpers start servers
from helpers import serving  # noqa: E402

SMALL = 1000
BARE = "bare Flask route"  # the table's labels, which report() reads the ratios by
# Flask-Login ties a session to the browser's User-Agent ("basic" protection): the login and
# wrk send the same one, as one browser would.
USER_AGENT = "benchmark"


CACHE_OFF, LOGGED_IN = ", cache off", ", logged in"


def first_page(messages, variant=""):
    return f"board first page, {messages:,} msgs{variant}"


def deep_page(messages):
    return f"board deep page, {messages:,} msgs{CACHE_OFF}"


def api_list(messages):
    return f"API list, {messages:,} msgs"


def api_not_modified(messages):
    return f"API list 304, {messages:,} msgs"


def ensure_wrk():
    """wrk comes from Debian's package; install it when missing (as root) or say how."""
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0:
        sys.exit("wrk is not installed: sudo apt-get install wrk")
    install = ["apt-get", "install", "-y", "-qq", "wrk"]
    if subprocess.run(install, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], check=True, capture_output=True)
        subprocess.run(install, check=True, capture_output=True)


def gunicorn(app, cwd, conf, env=None):
    """Serve `app` ("module:app") with 2 workers on a free loopback port; yield (url, pid)."""
    command = [sys.executable, "-m", "gunicorn", "-c", str(conf), "-w", "2"]
    return serving(command + ["-b", "127.0.0.1:{port}", app], cwd, env)


def get(url, headers=None, data=None):
    """(status, headers, body) of one request, redirects not followed (a login's 302 carries
    its cookie); every request sends the benchmark's User-Agent."""
    headers = {"User-Agent": USER_AGENT} | (headers or {})
    request = urllib.request.Request(url, data, headers)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:  # urllib raises on 3xx it does not follow, 4xx, 5xx
        return error.code, error.headers, error.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check(url, marker, headers=None):
    """The URL answers 200 with `marker` in its body: never benchmark an error page."""
    status, _headers, body = get(url, headers)
    if status != 200 or marker not in body:
        sys.exit(f"{url} answered {status} without {marker!r}: not benchmarking that")


def session_cookie(response_headers):
    for header in response_headers.get_all("Set-Cookie") or ():
        name, _, rest = header.partition("=")
        if name == "session":
            return rest.partition(";")[0]
    return None


def log_in(base_url, email, password):
    """Log in through the login form, as a browser does; the Cookie header of the session."""
    status, headers, body = get(f"{base_url}/auth/login")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body)
    cookie = session_cookie(headers)
    if status != 200 or not token or not cookie:
        sys.exit(f"{base_url}/auth/login gave no login form with a CSRF token and a session")
    form = {"csrf_token": token[1], "email": email, "password": password, "submit": "Log in"}
    status, headers, _body = get(
        f"{base_url}/auth/login",
        {"Cookie": f"session={cookie}"},
        urllib.parse.urlencode(form).encode(),
    )
    cookie = session_cookie(headers)
    if status != 302 or not cookie:
        sys.exit(f"logging in answered {status} without a new session: not benchmarking that")
    # Follow the redirect like a browser: the page it leads to shows the "logged in" flash
    # and stores the session without it. wrk must send that one, or every page it loads
    # would show the flash again and set a new cookie.
    page = urllib.parse.urljoin(base_url, headers["Location"])
    _status, headers, _body = get(page, {"Cookie": f"session={cookie}"})
    return f"session={session_cookie(headers) or cookie}"


def etag(url):
    """The ETag of `url`, after checking that sending it back gets a 304."""
    _status, headers, _body = get(url)
    tag = headers["ETag"]
    status, _headers, _body = get(url, {"If-None-Match": tag})
    if status != 304:
        sys.exit(f"{url} did not answer its own ETag with a 304: not benchmarking that")
    return tag


def wrk(url, seconds, headers=None):
    """Requests per second that wrk (2 threads, 16 connections) gets from `url`."""
    headers = {"User-Agent": USER_AGENT} | (headers or {})
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", url]
    for name, value in headers.items():
        command[1:1] = ["-H", f"{name}: {value}"]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    if "Non-2xx or 3xx responses" in output or "Socket errors" in output:
        sys.exit(f"errors while loading {url}:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])


def worker_memory(master_pid):
    """Resident memory (MiB) of each worker of the gunicorn master `master_pid`."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+) kB", status)[1]) / 1024)
    return sorted(sizes)


def measure(seconds=5, rounds=3, messages=1_000_000, database="sqlite"):
    """{label: median requests/s} and {server: [worker MiB, ...]}, measured side by side."""
    ensure_wrk()
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        project = databases.generate_project(Path(tmp), database)
        small = stack.enter_context(databases.seeded(project, database, "small", SMALL))
        large = stack.enter_context(databases.seeded(project, database, "large", messages))
        email, password = databases.create_user(project, large)
        conf = project / "gunicorn.conf.py"
        # No debug, no template reloading. The pages measured are not rate-limited (no Redis)
        # and there is no mail server, so mail is switched off.
        production = {
            "FLASK_CONFIG": "production",
            "RATELIMIT_ALLOW_PER_PROCESS": "1",
            "MAIL_ENABLED": "false",
        }

        def board(url, **env):
            env = production | {"DATABASE_URL": url} | env
            return stack.enter_context(gunicorn("wsgi:app", project, conf, env))

        servers = {
            BARE: stack.enter_context(gunicorn("bare_app:app", BENCHMARKS, conf)),
            f"board, {SMALL:,} msgs": board(small),
            f"board, {messages:,} msgs": board(large),
            f"board, {messages:,} msgs{CACHE_OFF}": board(large, PAGE_CACHE_ENABLED="false"),
        }
        (bare, _), (small_url, _), (large_url, _), (uncached, _) = servers.values()
        session = {"Cookie": log_in(large_url, email, password)}
        before = databases.deep_cursor(large, messages)
        api_large = f"{large_url}/api/v1/messages"
        # label: (url, a string its page must contain, request headers)
        targets = {
            BARE: (f"{bare}/", "Hello", None),
            first_page(SMALL): (f"{small_url}/", "message-body", None),
            first_page(messages): (f"{large_url}/", "message-body", None),
            first_page(messages, CACHE_OFF): (f"{uncached}/", "message-body", None),
            deep_page(messages): (f"{uncached}/?before={before}", "message-body", None),
            first_page(messages, LOGGED_IN): (f"{large_url}/", "Log out", session),
            api_list(SMALL): (f"{small_url}/api/v1/messages", '"messages"', None),
            api_list(messages): (api_large, '"messages"', None),
        }
        for url, marker, headers in targets.values():
            check(url, marker, headers)
        targets[api_not_modified(messages)] = (api_large, None, {"If-None-Match": etag(api_large)})
        for url, _marker, headers in targets.values():
            wrk(url, 1, headers)  # warm up: imports, templates, connections, page cache

        samples = {label: [] for label in targets}
        for _ in range(rounds):
            for label, (url, _marker, headers) in targets.items():
                samples[label].append(wrk(url, seconds, headers))
        memory = {label: worker_memory(pid) for label, (_url, pid) in servers.items()}
    return {label: statistics.median(values) for label, values in samples.items()}, memory


def report(throughput, memory, messages):
    """Print the table; return the ratios the targets are about."""
    bare = throughput[BARE]
    print(f"\n{'gunicorn -w 2, wrk -t2 -c16':<50}{'req/s':>10}{'of bare':>10}")
    for label, value in throughput.items():
        print(f"{label:<50}{value:>10,.0f}{value / bare:>10.0%}")
    print("(board pages: anonymous, page cache on, unless the label says otherwise)")
    print(f"\n{'worker memory after the load':<50}{'MiB each':>20}")
    for label, sizes in memory.items():
        print(f"{label:<50}{' / '.join(f'{size:.0f}' for size in sizes):>20}")
    first_small, first_large = throughput[first_page(SMALL)], throughput[first_page(messages)]
    uncached = throughput[first_page(messages, CACHE_OFF)]
    api_large = throughput[api_list(messages)]
    return {
        "anonymous/bare": first_large / bare,
        "cache off/bare": uncached / bare,
        "logged in/bare": throughput[first_page(messages, LOGGED_IN)] / bare,
        "api/bare": api_large / bare,
        "1M/1k": first_large / first_small,
        "deep/first": throughput[deep_page(messages)] / uncached,
        "api 304/200": throughput[api_not_modified(messages)] / api_large,
    }


def add_arguments(parser):
    """The options run.py shares."""
    parser.add_argument("--seconds", type=int, default=5, help="wrk run per URL and round")
    parser.add_argument("--rounds", type=int, default=3, help="wrk rounds over the URLs")
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--database", choices=databases.DATABASES, default="sqlite")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    args = parser.parse_args()
    figures = measure(args.seconds, args.rounds, args.messages, args.database)
    ratios = report(*figures, args.messages)
    print("ratios: " + ", ".join(f"{name} {value:.2f}" for name, value in ratios.items()))


if __name__ == "__main__":
    main()
