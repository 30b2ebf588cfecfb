"""How long project generation with the setup hook takes, next to its floor.

    python benchmarks/generation.py [--runs 5]

Measured side by side in one run (median of --runs, in seconds):
- hook:   `cookiecutter --no-input` with the setup hook (the in-process path);
- floor:  `cookiecutter --no-input --accept-hooks no`, plus one Python importing the fresh
          project's package (`python -c "import message_board"` in it): what any generator
          that also migrates must at least spend;
- naive:  the tutorial way, three `flask db init / migrate / upgrade` processes.
Prints figures only; it asserts nothing.
"""

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PROJECT, PACKAGE = "message-board", "message_board"  # what the default answers name them


def timed(command, cwd):
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - started


def cookiecutter(out, hooks):
    """The user's command: generate the default project into `out`."""
    command = [str(BIN / "cookiecutter"), "--no-input", str(TEMPLATE), "-o", str(out)]
    return command + ([] if hooks else ["--accept-hooks", "no"])


def with_hooks():
    with tempfile.TemporaryDirectory() as out:
        return timed(cookiecutter(out, hooks=True), out)


def without_hooks():
    """Seconds of cookiecutter without hooks, then of one Python importing the fresh project's
    package: the stack its create_app() needs, and the package's own first, compiling import."""
    with tempfile.TemporaryDirectory() as out:
        no_hooks = timed(cookiecutter(out, hooks=False), out)
        importing = timed([sys.executable, "-c", f"import {PACKAGE}"], Path(out) / PROJECT)
    return no_hooks, importing


def naive():
    """Generate without hooks, delete the shipped migrations, then do it by hand."""
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(cookiecutter(out, hooks=False), check=True, capture_output=True)
        project = Path(out) / PROJECT
        shutil.rmtree(project / "migrations")
        (project / ".env").write_text("SECRET_KEY=benchmark\n")
        flask = [sys.executable, "-m", "flask", "db"]
        return sum(timed(flask + step, project) for step in (["init"], ["migrate"], ["upgrade"]))


def measure(runs=5):
    """{measure: median seconds}, the runs interleaved so machine noise hits every figure alike."""
    samples = {"hook": [], "no hooks": [], "import package": [], "naive": []}
    for _ in range(runs):
        samples["hook"].append(with_hooks())
        no_hooks, importing = without_hooks()
        samples["no hooks"].append(no_hooks)
        samples["import package"].append(importing)
        samples["naive"].append(naive())
    return {name: statistics.median(values) for name, values in samples.items()}


def report(median):
    """Print the table; return the ratios to the floor."""
    floor = median["no hooks"] + median["import package"]
    print(f"{'project generation':<40}{'median s':>10}{'of floor':>10}")
    rows = [
        ("cookiecutter, hooks disabled", median["no hooks"]),
        ("one Python importing the package", median["import package"]),
        ("floor (sum of the two above)", floor),
        ("generation with the setup hook", median["hook"]),
        ("naive: no hooks + init/migrate/upgrade", median["no hooks"] + median["naive"]),
    ]
    for label, seconds in rows:
        print(f"{label:<40}{seconds:>10.3f}{seconds / floor:>10.2f}x")
    return {"hook/floor": median["hook"] / floor}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    ratios = report(measure(parser.parse_args().runs))
    print(f"ratios: hook/floor {ratios['hook/floor']:.2f}x")


if __name__ == "__main__":
    main()
