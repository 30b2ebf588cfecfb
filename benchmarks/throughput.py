"""Requests per second of a generated project under gunicorn, next to a bare Flask route.

    python benchmarks/throughput.py [--seconds 5] [--rounds 3] [--messages 1000000]

Generates a project (SQLite, every default answer), fills two copies of its database with
`flask seed --demo` (1,000 and --messages messages), and serves the bare route and both
databases with gunicorn, 2 workers each, with the project's gunicorn.conf.py. Then `wrk`
(2 threads, 16 connections, loopback) loads each URL for --seconds, in rounds that
interleave the URLs so machine noise hits every figure alike; the median counts. The API
list is loaded twice: plain (200) and as a polling client does, with the newest page's
ETag in If-None-Match (304, no body).
Prints figures only; it asserts nothing.
"""

import argparse
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import quote

import generation

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS.parent / "tests"))  # the tests' helpers start servers
from helpers import serving  # noqa: E402

SMALL = 1000
DEEP_FRACTION = 0.9  # the deep page starts 90% of the way into the history
BARE = "bare Flask route"  # the table's labels, which report() reads the ratios by


def first_page(messages):
    return f"board first page, {messages:,} msgs"


def deep_page(messages):
    return f"board deep page, {messages:,} msgs"


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


def generate_project(output_dir):
    command = generation.cookiecutter(output_dir, hooks=True)
    subprocess.run(command, check=True, capture_output=True)
    return output_dir / generation.PROJECT


def seeded_database(project, name, messages):
    """A copy of the project's migrated database with `messages` demo messages."""
    instance = project / "instance"
    shutil.copy(instance / f"{generation.PACKAGE}.db", instance / name)
    env = os.environ | {"DATABASE_URL": f"sqlite:///{name}"}
    command = [sys.executable, "-m", "flask", "seed", "--demo", str(messages)]
    subprocess.run(command, cwd=project, env=env, check=True, capture_output=True)
    return instance / name


def deep_cursor(database, messages):
    """The board's ?before= cursor for the message DEEP_FRACTION into the history."""
    with sqlite3.connect(database) as connection:
        created_at, id_ = connection.execute(
            "SELECT created_at, id FROM messages ORDER BY created_at DESC, id DESC"
            " LIMIT 1 OFFSET ?",
            (int(messages * DEEP_FRACTION),),
        ).fetchone()
    return quote(f"{created_at}_{id_}")


def gunicorn(app, cwd, conf, env=None):
    """Serve `app` ("module:app") with 2 workers on a free loopback port; yield (url, pid)."""
    command = [sys.executable, "-m", "gunicorn", "-c", str(conf), "-w", "2"]
    return serving(command + ["-b", "127.0.0.1:{port}", app], cwd, env)


def check(url, marker):
    """The URL answers 200 with `marker` in its body: never benchmark an error page."""
    with urllib.request.urlopen(url, timeout=10) as response:
        body = response.read().decode()
    if marker not in body:
        sys.exit(f"{url} answered without {marker!r}: not benchmarking that")


def etag(url):
    """The ETag of `url`, after checking that sending it back gets a 304."""
    with urllib.request.urlopen(url, timeout=10) as response:
        tag = response.headers["ETag"]
    request = urllib.request.Request(url, headers={"If-None-Match": tag})
    try:
        urllib.request.urlopen(request, timeout=10)
    except urllib.error.HTTPError as error:  # urllib treats a 304 as an error
        if error.code == 304:
            return tag
    sys.exit(f"{url} did not answer its own ETag with a 304: not benchmarking that")


def wrk(url, seconds, headers=None):
    """Requests per second that wrk (2 threads, 16 connections) gets from `url`."""
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", url]
    for name, value in (headers or {}).items():
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


def measure(seconds=5, rounds=3, messages=1_000_000):
    """{label: median requests/s} and {server: [worker MiB, ...]}, measured side by side."""
    ensure_wrk()
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as servers:
        project = generate_project(Path(tmp))
        small = seeded_database(project, "small.db", SMALL)
        large = seeded_database(project, "large.db", messages)
        conf = project / "gunicorn.conf.py"
        # No debug, no template reloading. The pages measured are not rate-limited (no Redis)
        # and there is no mail server, so mail is switched off.
        production = {"FLASK_CONFIG": "production", "RATELIMIT_ALLOW_PER_PROCESS": "1",
                      "MAIL_ENABLED": "false"}

        def board(database):
            env = production | {"DATABASE_URL": f"sqlite:///{database.name}"}
            return servers.enter_context(gunicorn("wsgi:app", project, conf, env))

        bare_url, bare_pid = servers.enter_context(gunicorn("bare_app:app", BENCHMARKS, conf))
        small_url, small_pid = board(small)
        large_url, large_pid = board(large)
        targets = {
            BARE: (f"{bare_url}/", "Hello"),
            first_page(SMALL): (f"{small_url}/", "message-body"),
            first_page(messages): (f"{large_url}/", "message-body"),
            deep_page(messages): (
                f"{large_url}/?before={deep_cursor(large, messages)}",
                "message-body",
            ),
            api_list(SMALL): (f"{small_url}/api/v1/messages", '"messages"'),
            api_list(messages): (f"{large_url}/api/v1/messages", '"messages"'),
        }
        for url, marker in targets.values():
            check(url, marker)
        headers = {label: None for label in targets}
        api_large = f"{large_url}/api/v1/messages"
        not_modified = api_not_modified(messages)
        targets[not_modified] = (api_large, None)
        headers[not_modified] = {"If-None-Match": etag(api_large)}
        for label, (url, _marker) in targets.items():
            wrk(url, 1, headers[label])  # warm up: imports, templates, connections, page cache

        samples = {label: [] for label in targets}
        for _ in range(rounds):
            for label, (url, _marker) in targets.items():
                samples[label].append(wrk(url, seconds, headers[label]))
        memory = {
            BARE: worker_memory(bare_pid),
            f"board, {SMALL:,} msgs": worker_memory(small_pid),
            f"board, {messages:,} msgs": worker_memory(large_pid),
        }
    return {label: statistics.median(values) for label, values in samples.items()}, memory


def report(throughput, memory, messages):
    """Print the table; return the ratios the targets are about."""
    bare = throughput[BARE]
    print(f"\n{'gunicorn -w 2, wrk -t2 -c16':<40}{'req/s':>10}{'of bare':>10}")
    for label, value in throughput.items():
        print(f"{label:<40}{value:>10,.0f}{value / bare:>10.0%}")
    print(f"\n{'worker memory after the load':<40}{'MiB each':>20}")
    for label, sizes in memory.items():
        print(f"{label:<40}{' / '.join(f'{size:.0f}' for size in sizes):>20}")
    first_small, first_large = throughput[first_page(SMALL)], throughput[first_page(messages)]
    api_large = throughput[api_list(messages)]
    return {
        "board/bare": first_small / bare,
        "1M/1k": first_large / first_small,
        "deep/first": throughput[deep_page(messages)] / first_large,
        "api/bare": api_large / bare,
        "api 304/200": throughput[api_not_modified(messages)] / api_large,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="wrk run per URL and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--messages", type=int, default=1_000_000)
    args = parser.parse_args()
    ratios = report(*measure(args.seconds, args.rounds, args.messages), args.messages)
    print("ratios: " + ", ".join(f"{name} {value:.2f}" for name, value in ratios.items()))


if __name__ == "__main__":
    main()
