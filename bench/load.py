"""Closed-loop HTTP load on a few pages of one local server: latency and throughput.

Standard library only, so it runs with any Python 3.11 and measures the server, not a
client framework. For each URL: a warm-up (not recorded), then a fixed number of GET
requests spread over a fixed number of threads, each thread keeping its own HTTP/1.1
connection (reopened when the server closes it, as gunicorn's sync workers do), bounded by
a time limit. Only loopback addresses are accepted.

    python bench/load.py --base http://127.0.0.1:8123 --page home=/ --page ceiling=/bench/ceiling

Prints a table and writes it as JSON and Markdown to --out (latest.json, latest.md and a
timestamped copy of each). Exits 1 when a page answered anything but 200.
"""

from __future__ import annotations

import argparse
import http.client
import ipaddress
import json
import math
import platform
import statistics
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

CEILING = "ceiling"
QUERIES_HEADER = "X-Bench-Queries"  # set by digitaix.bench when DIGITAIX_BENCH is on


@dataclass
class Result:
    name: str
    path: str
    requests: int = 0
    errors: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    req_per_s: float = 0.0
    median_ms: float = 0.0
    p95_ms: float = 0.0
    max_ms: float = 0.0
    bytes_per_page: int = 0
    queries: int | None = None  # SQL queries of one request (the server's X-Bench-Queries)
    ratio_to_ceiling: float | None = None


def _loopback_only(base: str) -> tuple[str, int]:
    parts = urlsplit(base)
    host = parts.hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if parts.scheme != "http" or not loopback:
        raise SystemExit(f"refusing {base!r}: only http:// on a loopback address is allowed")
    return host, parts.port or 80


class Words:
    """`{word}` in a page's path: each request takes the next word of --words (cycling), so
    that a page kept per query (the type-ahead) is measured as typed by many residents."""

    def __init__(self) -> None:
        self.words: list[str] = []
        self.next = 0
        self.lock = threading.Lock()

    def expand(self, path: str) -> str:
        if "{word}" not in path or not self.words:
            return path
        with self.lock:
            word = self.words[self.next % len(self.words)]
            self.next += 1
        return path.replace("{word}", quote(word))


WORDS = Words()


class Client:
    """One keep-alive connection; reconnects when the server closes it."""

    def __init__(self, host: str, port: int, timeout: float, headers: dict | None = None):
        self.conn = http.client.HTTPConnection(host, port, timeout=timeout)
        self.headers = {"Accept": "text/html", **(headers or {})}
        self.queries: str | None = None

    def get(self, path: str) -> tuple[int, int, float]:
        path = WORDS.expand(path)
        started = time.perf_counter()
        try:
            self.conn.request("GET", path, headers=self.headers)
            response = self.conn.getresponse()
            body = response.read()
            status = response.status
            self.queries = response.getheader(QUERIES_HEADER)
        except (OSError, http.client.HTTPException):
            self.conn.close()
            status, body = 0, b""
        return status, len(body), time.perf_counter() - started

    def close(self) -> None:
        self.conn.close()


def measure(
    name: str,
    path: str,
    *,
    host: str,
    port: int,
    args: argparse.Namespace,
    headers: dict | None = None,
) -> Result:
    """Warm up, then load one page; a page that does not answer 200 is reported, not loaded.
    `headers` are sent with every request (e.g. an API key, `Accept: application/json`)."""
    warm = Client(host, port, args.timeout, headers)
    status, _, _ = warm.get(path)
    if status != 200:
        warm.close()
        return Result(name=name, path=path, errors=1, statuses={str(status): 1})
    for _ in range(args.warmup):
        warm.get(path)
    warm.close()
    samples, seconds = _load(path, host=host, port=port, args=args, headers=headers)
    result = _summary(name, path, samples, seconds)
    if warm.queries is not None and warm.queries.isdigit():
        result.queries = int(warm.queries)  # the last warm-up's: caches are as in the load
    return result


def _load(
    path: str, *, host: str, port: int, args: argparse.Namespace, headers: dict | None = None
) -> tuple[list[tuple[int, int, float]], float]:
    """`args.requests` GETs over `args.concurrency` threads: (status, bytes, seconds) each."""
    samples: list[tuple[int, int, float]] = []
    lock = threading.Lock()
    remaining = [args.requests]
    deadline = time.monotonic() + args.max_seconds

    def worker() -> None:
        client = Client(host, port, args.timeout, headers)
        while time.monotonic() < deadline:
            with lock:
                if remaining[0] <= 0:
                    break
                remaining[0] -= 1
            sample = client.get(path)
            with lock:
                samples.append(sample)
        client.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(args.concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(args.max_seconds + args.timeout + 5)
    return samples, time.perf_counter() - started


def _summary(name: str, path: str, samples: list, seconds: float) -> Result:
    result = Result(name=name, path=path, requests=len(samples), seconds=round(seconds, 2))
    for status, _, _ in samples:
        result.statuses[str(status)] = result.statuses.get(str(status), 0) + 1
    result.errors = sum(n for status, n in result.statuses.items() if status != "200")
    if samples:
        ms = sorted(elapsed * 1000 for _, _, elapsed in samples)
        result.req_per_s = round(len(ms) / seconds, 1)
        result.median_ms = round(statistics.median(ms), 1)
        result.p95_ms = round(ms[max(0, math.ceil(len(ms) * 0.95) - 1)], 1)  # nearest rank
        result.max_ms = round(ms[-1], 1)
        result.bytes_per_page = int(statistics.median(size for _, size, _ in samples))
    return result


def table(results: list[Result]) -> str:
    head = "| page | URL | requests | errors | req/s | median ms | p95 ms | queries | x ceiling |"
    lines = [head, "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        ratio = "" if r.ratio_to_ceiling is None else f"{r.ratio_to_ceiling:.3f}"
        queries = "" if r.queries is None else str(r.queries)
        lines.append(
            f"| {r.name} | `{r.path}` | {r.requests} | {r.errors} | {r.req_per_s:.1f} "
            f"| {r.median_ms:.1f} | {r.p95_ms:.1f} | {queries} | {ratio} |"
        )
    return "\n".join(lines)


def write(results: list[Result], meta: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    data = {"meta": meta, "results": [asdict(r) for r in results]}
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    notes = "\n".join(f"- {key}: {value}" for key, value in meta.items())
    markdown = f"# Digitaix bench, {meta['date']}\n\n{table(results)}\n\n{notes}\n"
    for name in (f"bench-{stamp}", "latest"):
        (out / f"{name}.json").write_text(text, encoding="utf-8")
        (out / f"{name}.md").write_text(markdown, encoding="utf-8")
    print(f"\nWritten: {out}/bench-{stamp}.json and .md (also latest.json, latest.md)")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="http://127.0.0.1:PORT")
    parser.add_argument(
        "--page",
        action="append",
        required=True,
        metavar="NAME=PATH",
        help=f"a page to measure; the one named {CEILING!r} is the reference",
    )
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--requests", type=int, default=500, help="per page")
    parser.add_argument("--warmup", type=int, default=30, help="per page, not recorded")
    parser.add_argument("--max-seconds", type=float, default=60, help="per page")
    parser.add_argument("--timeout", type=float, default=30, help="per request")
    parser.add_argument("--out", type=Path, default=Path("bench/results"))
    parser.add_argument("--meta", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument(
        "--words", type=Path, help="a file of words, one a line, for the {word} of a page's path"
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    host, port = _loopback_only(args.base)
    if args.words:
        WORDS.words = [w for w in args.words.read_text().split("\n") if w.strip()]
    pages = [tuple(spec.split("=", 1)) for spec in args.page]
    results = []
    for name, path in pages:
        print(f"  {name:<10} {path} ...", end="", flush=True)
        result = measure(name, path, host=host, port=port, args=args)
        if result.requests:
            print(f" {result.requests} requests, {result.req_per_s} req/s", flush=True)
        else:
            print(f" skipped: answered {', '.join(result.statuses)}", flush=True)
        results.append(result)

    ceiling = next((r for r in results if r.name == CEILING and r.req_per_s), None)
    for r in results:
        if ceiling is not None:
            r.ratio_to_ceiling = round(r.req_per_s / ceiling.req_per_s, 3)

    meta = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "base": args.base,
        "concurrency": args.concurrency,
        "requests_per_page": args.requests,
        "warmup_per_page": args.warmup,
        "max_seconds_per_page": args.max_seconds,
        "client_python": platform.python_version(),
        **dict(item.split("=", 1) for item in args.meta),
    }
    print()
    print(table(results))
    write(results, meta, args.out)

    failed = [r for r in results if r.errors or not r.requests]
    for r in failed:
        print(f"ERROR: {r.name} {r.path} answered {r.statuses}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
