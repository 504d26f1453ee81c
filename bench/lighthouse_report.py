"""The table of bench/lighthouse.sh: Lighthouse's reports (one JSON per page and run, named
`<page>-<run>.json` in `<out>/runs/`) read back into the four scores of each page, the
figures behind performance, the CSS and JavaScript each page downloads, and what fails.

    python bench/lighthouse_report.py bench/results/lighthouse --meta commit=abc1234

Each page's line is its median run by performance (the other categories barely move from
one run to the next); the performance range of its runs is shown beside it. Prints the table
and writes it to `<out>/latest.md` and `latest.json` (and a timestamped copy of each).
Standard library only.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "speed-index": "SI",
}
PAGE_ORDER = ("home", "catalogue", "search", "storefront", "product", "basket")


def score(value: float | None) -> int | None:
    return None if value is None else round(value * 100)


def page_of(report: dict, runs: list[dict]) -> dict:
    """One page's line from its median run (`report`) and all its runs."""
    audits = report["audits"]
    requests = audits.get("network-requests", {}).get("details", {}).get("items", [])
    kinds = defaultdict(int)
    for request in requests:
        kinds[request.get("resourceType", "Other")] += request.get("transferSize") or 0
    failing = {}
    for category in CATEGORIES[1:]:
        failing[category] = [
            f"{ref['id']}: {audits[ref['id']]['title']}"
            for ref in report["categories"][category]["auditRefs"]
            if audits[ref["id"]]["scoreDisplayMode"] in ("binary", "numeric", "metricSavings")
            and (audits[ref["id"]]["score"] is not None and audits[ref["id"]]["score"] < 1)
            and ref.get("weight", 0) > 0
        ]
    opportunities = sorted(
        (
            (audit.get("details", {}).get("overallSavingsMs") or 0, audit["id"], audit["title"])
            for audit in audits.values()
            if audit.get("details", {}).get("type") == "opportunity"
            and (audit.get("details", {}).get("overallSavingsMs") or 0) >= 50
        ),
        reverse=True,
    )
    performance = [score(run["categories"]["performance"]["score"]) for run in runs]
    return {
        "url": report["finalDisplayedUrl"],
        "scores": {c: score(report["categories"][c]["score"]) for c in CATEGORIES},
        "performance_runs": performance,
        "metrics": {
            short: round(audits[name]["numericValue"], 3 if short == "CLS" else 0)
            for name, short in METRICS.items()
        },
        "bytes": {
            "css": kinds["Stylesheet"],
            "js": kinds["Script"],
            "document": kinds["Document"],
            "images": kinds["Image"],
            "total": sum(kinds.values()),
        },
        "failing": failing,
        "opportunities": [f"{title} ({ms:.0f} ms)" for ms, _, title in opportunities[:4]],
    }


def pages_read(runs_dir: Path) -> dict[str, dict]:
    reports = defaultdict(list)
    for path in sorted(runs_dir.glob("*-*.json")):
        name = path.stem.rsplit("-", 1)[0]
        reports[name].append(json.loads(path.read_text()))
    pages = {}
    order = {name: index for index, name in enumerate(PAGE_ORDER)}
    for name in sorted(reports, key=lambda n: (order.get(n, len(order)), n)):
        runs = sorted(reports[name], key=lambda r: r["categories"]["performance"]["score"] or 0)
        pages[name] = page_of(runs[(len(runs) - 1) // 2], runs)
    return pages


def kib(n: int) -> str:
    return f"{n / 1024:.1f}"


def table(pages: dict[str, dict]) -> str:
    lines = [
        "| page | perf | a11y | best pr. | SEO | perf runs | FCP ms | LCP ms | TBT ms | CLS "
        "| CSS KiB | JS KiB | all KiB |",
        "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, page in pages.items():
        s, m, b = page["scores"], page["metrics"], page["bytes"]
        runs = ", ".join(str(p) for p in page["performance_runs"])
        lines.append(
            f"| {name} | {s['performance']} | {s['accessibility']} | {s['best-practices']} "
            f"| {s['seo']} | {runs} | {m['FCP']:.0f} | {m['LCP']:.0f} | {m['TBT']:.0f} "
            f"| {m['CLS']} | {kib(b['css'])} | {kib(b['js'])} | {kib(b['total'])} |"
        )
    return "\n".join(lines)


def findings(pages: dict[str, dict]) -> str:
    lines = []
    for name, page in pages.items():
        for category, failing in page["failing"].items():
            for audit in failing:
                lines.append(f"- {name}, {category}: {audit}")
        for opportunity in page["opportunities"]:
            lines.append(f"- {name}, performance: {opportunity}")
    return "\n".join(lines) or "- nothing"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the folder of runs/: bench/results/lighthouse")
    parser.add_argument("--meta", action="append", default=[], help="key=value, written as is")
    args = parser.parse_args()
    pages = pages_read(args.out / "runs")
    if not pages:
        raise SystemExit(f"no report in {args.out / 'runs'}")
    meta = {"date": datetime.now(UTC).isoformat(timespec="seconds")}
    meta.update(item.split("=", 1) for item in args.meta)
    text = (
        f"{table(pages)}\n\nBytes are as transferred (compressed), from Lighthouse's network "
        f"requests.\n\nWhat fails (and performance's main opportunities):\n\n{findings(pages)}\n\n"
        + "\n".join(f"- {key}: {value}" for key, value in meta.items())
    )
    print(text)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for stem in (f"lighthouse-{stamp}", "latest"):
        (args.out / f"{stem}.md").write_text(f"# Lighthouse, {meta['date']}\n\n{text}\n")
        (args.out / f"{stem}.json").write_text(json.dumps({"meta": meta, "pages": pages}, indent=2))
    print(f"\nWritten: {args.out}/latest.md and latest.json (and a timestamped copy of each)")


if __name__ == "__main__":
    main()
