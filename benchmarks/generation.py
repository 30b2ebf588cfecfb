"""How long project generation with the setup hook takes, next to its floor.

    python benchmarks/generation.py [--runs 5]

Measured side by side in one run (median of --runs, in seconds):
- hook:   `cookiecutter --no-input` with the setup hook (the in-process path);
- floor:  `cookiecutter --no-input --accept-hooks no`, plus one Python importing the stack:
          what any generator that also migrates must at least spend;
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
# The libraries the generated project's create_app() imports (redis and dotenv are not:
# only a Redis rate-limit storage and the `flask` command load them).
STACK = (
    "import flask, flask_sqlalchemy, flask_migrate, flask_login, flask_bcrypt, flask_wtf, "
    "flask_bootstrap, flask_limiter, email_validator"
)


def timed(command, cwd):
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - started


def cookiecutter(out, hooks):
    command = [str(BIN / "cookiecutter"), "--no-input", str(TEMPLATE), "-o", out]
    return command + ([] if hooks else ["--accept-hooks", "no"])


def generate(hooks):
    with tempfile.TemporaryDirectory() as out:
        return timed(cookiecutter(out, hooks), out)


def naive():
    """Generate without hooks, delete the shipped migrations, then do it by hand."""
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(cookiecutter(out, hooks=False), check=True, capture_output=True)
        project = Path(out) / "message-board"
        shutil.rmtree(project / "migrations")
        (project / ".env").write_text("SECRET_KEY=benchmark\n")
        flask = [sys.executable, "-m", "flask", "db"]
        return sum(timed(flask + step, project) for step in (["init"], ["migrate"], ["upgrade"]))


def measure(runs=5):
    """{measure: median seconds}, the runs interleaved so machine noise hits every figure alike."""
    samples = {"hook": [], "no hooks": [], "import stack": [], "naive": []}
    for _ in range(runs):
        samples["hook"].append(generate(hooks=True))
        samples["no hooks"].append(generate(hooks=False))
        samples["import stack"].append(timed([sys.executable, "-c", STACK], TEMPLATE))
        samples["naive"].append(naive())
    return {name: statistics.median(values) for name, values in samples.items()}


def report(median):
    """Print the table; return the ratios to the floor."""
    floor = median["no hooks"] + median["import stack"]
    print(f"{'project generation':<40}{'median s':>10}{'of floor':>10}")
    rows = [
        ("cookiecutter, hooks disabled", median["no hooks"]),
        ("one Python importing the stack", median["import stack"]),
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
