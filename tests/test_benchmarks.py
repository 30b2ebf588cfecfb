"""The benchmark command runs end to end (at a tiny size) and prints every figure.
Timings are only printed, never asserted: they belong to benchmarks/, not to tests."""

import re
import sys
from pathlib import Path

from helpers import run

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def test_benchmark_prints_the_tables_and_every_ratio(tmp_path):
    command = [sys.executable, str(BENCHMARKS / "run.py"), "--runs", "1", "--seconds", "1"]
    command += ["--rounds", "1", "--messages", "3000"]
    output = run(command, tmp_path).stdout
    for row in (
        "generation with the setup hook",
        "full check, once per process",
        "the guard itself, after that",
        "guard per request (on - off)",
        "naive: no hooks + init/migrate/upgrade",
        "board first page, 3,000 msgs",
        "board deep page, 3,000 msgs",
        "API list, 3,000 msgs",
        "board, 3,000 msgs",
    ):
        assert re.search(rf"^{re.escape(row)}\s+-?[\d,./ ]+", output, re.MULTILINE), row
    ratios = output.strip().splitlines()[-1]
    for name in ("hook/floor", "board/bare", "1M/1k", "deep/first"):
        assert re.search(rf"{re.escape(name)} \d+\.\d\d \([<>]=", ratios), name
