"""All the benchmarks in one run: project generation, then throughput and memory.

    python benchmarks/run.py [--runs 5] [--seconds 5] [--rounds 3] [--messages 1000000]
                             [--database sqlite|postgresql]

Prints the tables of generation.py, guard.py and throughput.py (--database is for the
throughput: generation and the guard are measured on SQLite), then every ratio next to its
target. Figures only: nothing here passes or fails.
"""

import argparse

import generation
import guard
import throughput

# ratio -> (target, True if the ratio must be at most the target). Issue 15.
TARGETS = {
    "hook/floor": (1.3, True),
    # The board's first page at --messages, for anonymous visitors (page cache on) ...
    "anonymous/bare": (0.6, False),
    # ... with the page cache off: the database and the templates at work ...
    "cache off/bare": (0.3, False),
    # ... and for a logged-in user, whom the cache never serves.
    "logged in/bare": (0.2, False),
    "api/bare": (0.4, False),
    # Neither the size of the board nor the depth of the page changes the cost of a page.
    "1M/1k": (0.95, False),
    "deep/first": (0.95, False),
    # A poll answered 304 costs no more than a full page.
    "api 304/200": (1.0, False),
}


def verdicts(ratios):
    """One line per ratio: its value, its target, and whether it is met."""
    lines = [f"\n{'ratio':<20}{'value':>8}{'target':>10}"]
    for name, value in ratios.items():
        target, at_most = TARGETS[name]
        met = value <= target if at_most else value >= target
        sign = "<=" if at_most else ">="
        verdict = "met" if met else "NOT met"
        lines.append(f"{name:<20}{value:>8.2f}{sign:>6}{target:>4.2f}  {verdict}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="generations of each kind")
    throughput.add_arguments(parser)
    args = parser.parse_args()

    ratios = generation.report(generation.measure(args.runs))
    guard.measure()
    figures = throughput.measure(args.seconds, args.rounds, args.messages, args.database)
    ratios |= throughput.report(*figures, args.messages)
    print(verdicts(ratios))


if __name__ == "__main__":
    main()
