"""Per operation, how many of schemathesis's requests got a 2xx, 4xx or 5xx answer.

    fuzz-report.py [--schema FILE] RUN=events.ndjson [RUN=events.ndjson ...]

Reads the NDJSON event streams that ``st run --report ndjson`` writes (one per
run, named after the account that ran it) and prints one table row per
operation: the cases sent and how many got each class of answer, all runs
added up, then the 2xx of each run. Exits 1 if an operation never got a 2xx in
any run: its code past the checks was never reached, so the fuzzing says
little about it. With --schema (the OpenAPI JSON) every operation of the schema
is listed, so one that schemathesis skipped shows with 0 cases (and fails).
Whether the runs passed their checks is schemathesis's exit status, not this.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter, defaultdict

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def cases_of(path: str, labels: set[str]):
    """(METHOD /path, status) of every request recorded in an NDJSON event stream; a case is
    counted once however many scenarios mention it. Adds the operations tested to ``labels``."""
    seen: set[str] = set()
    with open(path, encoding="utf-8") as events:
        for line in events:
            finished = json.loads(line).get("ScenarioFinished")
            if not finished:
                continue
            recorder = finished["recorder"]
            if finished.get("phase") != "stateful":
                labels.add(recorder["label"])
            cases = recorder.get("cases", {})
            for case_id, interaction in recorder.get("interactions", {}).items():
                if case_id in seen or case_id not in cases:
                    continue
                seen.add(case_id)
                case = cases[case_id]["value"]
                response = interaction.get("response")
                status = response["status_code"] if response else None
                yield f"{case['method'].upper()} {case['path']}", status


def schema_operations(path: str) -> list[str]:
    with open(path, encoding="utf-8") as file:
        schema = json.load(file)
    return [
        f"{method.upper()} {url}"
        for url, item in schema.get("paths", {}).items()
        for method in item
        if method in METHODS
    ]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schema", help="the OpenAPI schema (JSON) the runs tested")
    parser.add_argument("runs", nargs="+", metavar="RUN=FILE")
    options = parser.parse_args(argv)

    runs = [item.partition("=")[::2] for item in options.runs]
    labels: set[str] = set()
    total: dict[str, Counter] = defaultdict(Counter)
    ok_by_run: dict[str, Counter] = defaultdict(Counter)
    missing = [name for name, path in runs if not os.path.exists(path)]
    for name in missing:
        print(f"no events from the {name} run (did schemathesis start?)", file=sys.stderr)
    for name, path in runs:
        if name in missing:
            continue
        for operation, status in cases_of(path, labels):
            kind = f"{status // 100}xx" if status else "none"
            total[operation]["cases"] += 1
            total[operation][kind] += 1
            if kind == "2xx":
                ok_by_run[operation][name] += 1

    operations = schema_operations(options.schema) if options.schema else []
    operations += sorted(labels - set(operations))
    # The coverage phase also sends each path the methods it does not have (expecting
    # 405): those requests are no operation's and are only counted.
    unexpected = sum(total[key]["cases"] for key in set(total) - set(operations))
    names = [name for name, _ in runs]
    header = ["operation", "cases", "2xx", "4xx", "5xx", *(f"2xx {name}" for name in names)]
    rows = [
        [
            operation,
            *(str(total[operation][key]) for key in ("cases", "2xx", "4xx", "5xx")),
            *(str(ok_by_run[operation][name]) for name in names),
        ]
        for operation in operations
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        first, *rest = cells
        return " | ".join(
            [first.ljust(widths[0]), *(c.rjust(w) for c, w in zip(rest, widths[1:], strict=True))]
        )

    print(line(header))
    print("-|-".join("-" * w for w in widths))
    for row in rows:
        print(line(row))
    cases = sum(total[operation]["cases"] for operation in operations)
    print(
        f"{len(operations)} operations, {cases} cases; "
        f"and {unexpected} requests with a method the path does not have"
    )

    never = [operation for operation in operations if not total[operation]["2xx"]]
    if never:
        print(f"{len(never)} operation(s) never answered 2xx:", file=sys.stderr)
        for operation in never:
            print(f"  {operation}", file=sys.stderr)
    return 1 if never or missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
