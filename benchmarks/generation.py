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
STACK = "import flask, flask_sqlalchemy, flask_migrate, flask_login, flask_bcrypt, flask_wtf"


def timed(command, cwd):
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - started


def generate(hooks):
    with tempfile.TemporaryDirectory() as out:
        command = [str(BIN / "cookiecutter"), "--no-input", str(TEMPLATE), "-o", out]
        return timed(command + ([] if hooks else ["--accept-hooks", "no"]), out)


def naive():
    """Generate without hooks, delete the shipped migrations, then do it by hand."""
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(
            [
                str(BIN / "cookiecutter"),
                "--no-input",
                str(TEMPLATE),
                "-o",
                out,
                "--accept-hooks",
                "no",
            ],
            check=True,
            capture_output=True,
        )
        project = Path(out) / "message-board"
        shutil.rmtree(project / "migrations")
        (project / ".env").write_text("SECRET_KEY=benchmark\n")
        flask = [sys.executable, "-m", "flask", "db"]
        return sum(timed(flask + step, project) for step in (["init"], ["migrate"], ["upgrade"]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs

    samples = {"hook": [], "no hooks": [], "import stack": [], "naive": []}
    for _ in range(runs):  # interleaved, so machine noise hits every figure alike
        samples["hook"].append(generate(hooks=True))
        samples["no hooks"].append(generate(hooks=False))
        samples["import stack"].append(timed([sys.executable, "-c", STACK], TEMPLATE))
        samples["naive"].append(naive())
    median = {name: statistics.median(values) for name, values in samples.items()}
    floor = median["no hooks"] + median["import stack"]

    print(f"{'measure':<30}{'median s':>10}")
    for name in ("no hooks", "import stack"):
        print(f"{name:<30}{median[name]:>10.3f}")
    print(f"{'floor (sum of the two above)':<30}{floor:>10.3f}")
    print(f"{'generation with setup hook':<30}{median['hook']:>10.3f}")
    print(f"{'naive init/migrate/upgrade':<30}{median['naive']:>10.3f}")
    print(
        f"ratios: hook/floor {median['hook'] / floor:.2f}x, "
        f"naive(+no hooks)/floor {(median['naive'] + median['no hooks']) / floor:.2f}x "
        f"({runs} runs)"
    )


if __name__ == "__main__":
    main()
