"""A throw-away PostgreSQL database for a benchmark: created, migrated, then always dropped."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = {"host": "127.0.0.1", "port": "5432", "user": "postgres"}


@contextlib.contextmanager
def fresh_database(prefix: str) -> Iterator[str]:
    """`<prefix>_<pid>`, migrated, as this process's DATABASE_URL; dropped at the end, also on
    failure (`--force`: a connection left open does not keep it)."""
    name = f"{prefix}_{os.getpid()}"
    pg = ["-h", PG["host"], "-p", PG["port"], "-U", PG["user"]]
    subprocess.run(["createdb", *pg, name], check=True)
    try:
        os.environ["DATABASE_URL"] = f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{name}"
        print(f"migrating {name}…", flush=True)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True
        )
        yield name
    finally:
        subprocess.run(["dropdb", *pg, "--if-exists", "--force", name], check=False)
