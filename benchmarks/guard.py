"""What the migration guard costs a request, next to the same app without it.

    python benchmarks/guard.py [--requests 2000]

Generates a project (SQLite, every default answer, set up by the hook), then in one
process of it measures, side by side:
- the full check a process makes on its first request (alembic_version, then the
  columns of every model's table, compared with the models), and the guard's own call
  after it (a flag lookup), timed alone;
- the board's first page through the test client with the guard on (after that first
  check, a flag lookup) and off, in interleaved rounds so noise hits both alike.
Prints figures only; it asserts nothing.
"""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import generation

# Runs inside the generated project, with its package importable.
MEASURE = """
import statistics, sys, time, timeit
from {package} import create_app, guard, migration_state

requests, rounds = int(sys.argv[1]), 5
apps = {{guard: create_app("production", SECRET_KEY="benchmark", CHECK_MIGRATIONS=guard,
                         MAIL_ENABLED=False, RATELIMIT_ALLOW_PER_PROCESS=True)
        for guard in (True, False)}}
with apps[True].app_context():
    checks = []
    for _ in range(50):
        started = time.perf_counter()
        assert migration_state.problem() is None
        checks.append(time.perf_counter() - started)
print(f"full check, once per process{{statistics.median(checks) * 1e3:>13.3f}} ms")
with apps[True].test_request_context("/"):
    guard.refuse_until_migrated()  # the first check; then only the flag
    calls = 100_000
    seconds = timeit.timeit(guard.refuse_until_migrated, number=calls)
print(f"the guard itself, after that{{seconds / calls * 1e6:>13.3f}} us")
clients = {{guard: app.test_client() for guard, app in apps.items()}}
times = {{True: [], False: []}}
for _ in range(rounds):
    for guard, client in clients.items():
        client.get("/")  # the guard's first check happens here, outside the timing
        started = time.perf_counter()
        for _ in range(requests // rounds):
            client.get("/")
        times[guard].append((time.perf_counter() - started) / (requests // rounds))
on, off = (statistics.median(times[guard]) * 1e3 for guard in (True, False))
print(f"board page, guard on{{on:>21.3f}} ms")
print(f"board page, guard off{{off:>20.3f}} ms")
print(f"guard per request (on - off){{(on - off) * 1e3:>10.1f}} us")
"""


def measure(requests=2000):
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(generation.cookiecutter(out, hooks=True), check=True, capture_output=True)
        project = Path(out) / generation.PROJECT
        code = MEASURE.format(package=generation.PACKAGE)
        result = subprocess.run(
            [sys.executable, "-c", code, str(requests)],
            cwd=project,
            check=True,
            capture_output=True,
            text=True,
        )
    print(f"{'migration guard (SQLite)':<40}{'median':>10}")
    print(result.stdout, end="")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    measure(parser.parse_args().requests)


if __name__ == "__main__":
    main()
