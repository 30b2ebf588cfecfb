"""All the benchmarks in one run: project generation, then throughput and memory.

    python benchmarks/run.py [--runs 5] [--seconds 5] [--rounds 3] [--messages 1000000]

Prints the tables of generation.py, guard.py and throughput.py, then one line with every
ratio next to its target. Figures only: nothing here passes or fails.
"""

import argparse

import generation
import guard
import throughput

# ratio -> (target, True if the ratio must be at most the target)
TARGETS = {
    "hook/floor": (1.3, True),
    "board/bare": (0.4, False),
    "1M/1k": (0.9, False),
    "deep/first": (0.9, False),
    # The API list as fast as before its schemas and validation (README, 2026-11-21).
    "api/bare": (0.35, False),
    # A poll answered 304 costs no more than a full page.
    "api 304/200": (1.0, False),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="generations of each kind")
    parser.add_argument("--seconds", type=int, default=5, help="wrk run per URL and round")
    parser.add_argument("--rounds", type=int, default=3, help="wrk rounds over the URLs")
    parser.add_argument("--messages", type=int, default=1_000_000)
    args = parser.parse_args()

    ratios = generation.report(generation.measure(args.runs))
    guard.measure()
    figures = throughput.measure(args.seconds, args.rounds, args.messages)
    ratios |= throughput.report(*figures, args.messages)
    verdicts = []
    for name, value in ratios.items():
        target, at_most = TARGETS[name]
        met = value <= target if at_most else value >= target
        sign = "<=" if at_most else ">="
        verdicts.append(f"{name} {value:.2f} ({sign}{target}: {'met' if met else 'NOT met'})")
    print("\nratios: " + ", ".join(verdicts))


if __name__ == "__main__":
    main()
