"""Phone screenshots of the merchant's space for the README (docs/screenshots/*.png).

Against a running demo (`make run`, http://127.0.0.1:8000), or one this script starts with
`--start` on a free port (as `make run` does: migrate, seed the demo town, which adds nothing
when it is there, serve with DEBUG; stopped at the end; DATABASE_URL as usual). It signs in
as a demo merchant (README, "The demo town"), lands on their shop's day, then opens every
entry of the merchant's menu (digitaix/spaces/menus.py: new screens are taken without
editing this file) and those of EXTRA, and saves each at 390 x 844 (one phone screen, or the
whole page with --full-page), optimised with Pillow.

    make run                                   # in another terminal, or pass --start
    .venv/bin/python bench/screenshots.py      # --email, --password, --url, --out, --scale

Chromium is Debian's (/usr/bin/chromium, or DIGITAIX_CHROMIUM): nothing is downloaded.
"""

from __future__ import annotations

import argparse
import io
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("DIGITAIX_CHROMIUM", "/usr/bin/chromium")
DEMO_MERCHANT = "boulangerie-lambert@commercants.digitaix.localhost"
DEMO_PASSWORD = "demo-digitaix"
PHONE = {"width": 390, "height": 844}
# Screens outside the menu, after its entries: (file name, URL name, takes the shop's code),
# e.g. ("ajouter-un-produit", "merchant:<its name>", True). A URL name that does not exist
# (yet) is skipped with a note.
EXTRA: list[tuple[str, str, bool]] = [("ajouter-un-produit", "merchant:product-add", True)]


@dataclass(frozen=True)
class Shot:
    name: str
    path: str


def django_setup() -> None:
    """Django, to name each screen's URL from the URLconf (no database is opened)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitaix.settings")
    os.environ.setdefault("DJANGO_DEBUG", "true")
    import django

    django.setup()


def shots_for(code: str) -> list[Shot]:
    """The merchant menu's screens for shop `code`, in menu order, then EXTRA's."""
    from django.urls import NoReverseMatch, reverse
    from django.utils.text import slugify
    from django.utils.translation import override

    from digitaix.spaces.menus import MERCHANT_MENU

    shots = []
    with override("fr"):
        wanted = [(str(entry.label), entry.url_name, entry.per_shop) for entry in MERCHANT_MENU]
        for label, url_name, per_shop in [*wanted, *EXTRA]:
            try:
                path = reverse(url_name, kwargs={"slug": code} if per_shop else None)
            except NoReverseMatch:
                print(f"  (skipped: {url_name} does not exist)")
                continue
            shots.append(Shot(f"{len(shots) + 1:02d}-{slugify(label)}", path))
    return shots


def server_start() -> tuple[subprocess.Popen, str]:
    """The demo served by Django's runserver on a free port, as `make run` serves it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DJANGO_DEBUG": "true",
        "DJANGO_SERVE_MEDIA": "true",
        "DIGITAIX_STAFF_SECOND_FACTOR": "false",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "seed_town"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"], cwd=ROOT, env=env
    )
    return server, f"http://127.0.0.1:{port}"


def server_ready(url: str, *, wait: float) -> bool:
    deadline = time.monotonic() + wait
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                return True
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                return False
            time.sleep(1)


def png_small(raw: bytes) -> bytes:
    """A screenshot as a 256-colour PNG: a fraction of the size, the same to the eye."""
    from PIL import Image

    image = Image.open(io.BytesIO(raw)).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(out, "PNG", optimize=True)
    return out.getvalue()


def sign_in(page, url: str, email: str, password: str) -> str:
    """Sign in through the form; return the shop's code from the day page merchants land on."""
    page.goto(f"{url}/accounts/login/")
    page.locator("#id_login-username").fill(email)
    page.locator("#id_login-password").fill(password)
    page.locator('button[name="login_submit"]').click()
    page.wait_for_url("**/ma-boutique/**")
    parts = [part for part in page.url.split("/ma-boutique/", 1)[1].split("/") if part]
    if not parts:
        raise SystemExit(f"{email} has several shops: no single shop's day to start from")
    return parts[0]


def capture(args: argparse.Namespace) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--lang=fr-FR"],
        )
        context = browser.new_context(
            viewport=PHONE, device_scale_factor=args.scale, locale="fr-FR", is_mobile=True
        )
        page = context.new_page()
        code = sign_in(page, args.url, args.email, args.password)
        for shot in shots_for(code):
            page.goto(args.url + shot.path, wait_until="networkidle")
            written.append(out / f"{shot.name}.png")
            written[-1].write_bytes(png_small(page.screenshot(full_page=args.full_page)))
        # The menu, opened on the phone (one button, one list).
        page.goto(f"{args.url}/ma-boutique/{code}/", wait_until="networkidle")
        page.locator("[data-dx-menu]").click()
        written.append(out / "00-menu.png")
        written[-1].write_bytes(png_small(page.screenshot()))
        browser.close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--email", default=DEMO_MERCHANT)
    parser.add_argument("--password", default=DEMO_PASSWORD)
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--scale", type=float, default=1, help="device pixel ratio (2: crisp)")
    parser.add_argument("--full-page", action="store_true", help="the whole page, not a screen")
    parser.add_argument("--start", action="store_true", help="serve the demo for the shots")
    args = parser.parse_args()
    args.url = args.url.rstrip("/")

    django_setup()
    server = None
    if args.start:
        server, args.url = server_start()
    try:
        if not server_ready(args.url, wait=60 if server else 5):
            print(f"No server at {args.url}: run `make run` first, or pass --start")
            return 1
        for path in capture(args):
            print(
                f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}"
                f"  {path.stat().st_size // 1024} kB"
            )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
