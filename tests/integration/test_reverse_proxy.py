"""Slow clients never hold a gunicorn worker: nginx, with the very configuration file of
docker-compose.yml (deploy/nginx/digitaix.conf.template), stands in front of gunicorn started
with the Dockerfile's own command.

Without it, three half-open connections (request headers never finished) took the three
sync workers and /healthz stopped answering. Needs Debian's nginx (`apt-get install
nginx-light`, as CI does) and openssl: skipped without them, except on CI.
"""

import gzip
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "deploy" / "nginx" / "digitaix.conf.template"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
WORKERS = 3
CSS = "body { color: black; margin: 0 auto; }" * 50


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"nothing listens on {port} after {seconds} s")


def render(template: str, values: dict[str, str]) -> str:
    """What the nginx image's envsubst does: ${NAME} replaced for the names it is given only."""
    return re.sub(r"\$\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), template)


def gunicorn_command(port: int) -> list[str]:
    """The Dockerfile's CMD, bound to a local port instead of 0.0.0.0:8000."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    exec_form = re.search(r"^CMD (\[.*?\])", dockerfile, re.M | re.S).group(1)
    cmd = json.loads(exec_form.replace("\\\n", ""))
    assert cmd[0] == "gunicorn" and "0.0.0.0:8000" in cmd
    cmd[cmd.index("0.0.0.0:8000")] = f"127.0.0.1:{port}"
    return [sys.executable, "-m", *cmd]


@pytest.fixture(scope="module")
def tools():
    missing = [name for name in (NGINX, "openssl") if not shutil.which(name)]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{missing} missing: .ci/run installs nginx-light")
        pytest.skip(f"{missing} missing (apt-get install nginx-light)")


@pytest.fixture(scope="module")
def gunicorn(tools, tmp_path_factory):
    folder = tmp_path_factory.mktemp("gunicorn")
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "digitaix.settings",
        "DJANGO_SECRET_KEY": "proxy-test-only-not-a-secret-0123456789abcdef",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "CELERY_BROKER_URL": "",
        "WEB_CONCURRENCY": str(WORKERS),
        "DJANGO_STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
    }
    for production_default in ("DJANGO_DEBUG", "DJANGO_SECURE_SSL_REDIRECT"):
        env.pop(production_default, None)
    with open(folder / "gunicorn.log", "wb") as log:
        process = subprocess.Popen(
            gunicorn_command(port), cwd=ROOT, env=env, stdout=log, stderr=log
        )
    try:
        wait_for_port(port)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def proxy(gunicorn, tmp_path_factory):
    folder = tmp_path_factory.mktemp("nginx")
    for name in ("static", "media", "logs"):
        (folder / name).mkdir()
    (folder / "static" / "site.css").write_text("body { color: black; }")
    # As collectstatic leaves them: a hashed name, and WhiteNoise's gzip copy beside it.
    hashed = folder / "static" / "site.0123456789ab.css"
    hashed.write_text(CSS)
    hashed.with_name(hashed.name + ".gz").write_bytes(gzip.compress(CSS.encode()))
    (folder / "media" / "photo.txt").write_text("<script>alert(1)</script>")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-keyout", folder / "key.pem", "-out", folder / "cert.pem"],
        check=True, capture_output=True,
    )  # fmt: skip
    http, https = free_port(), free_port()
    values = {
        "DIGITAIX_UPSTREAM": f"127.0.0.1:{gunicorn}",
        "DIGITAIX_HTTP_PORT": str(http),
        "DIGITAIX_HTTPS_PORT": str(https),
        "DIGITAIX_TLS_CERT": str(folder / "cert.pem"),
        "DIGITAIX_TLS_KEY": str(folder / "key.pem"),
        "DIGITAIX_STATIC_ROOT": str(folder / "static"),
        "DIGITAIX_MEDIA_ROOT": str(folder / "media"),
        "DIGITAIX_MAX_UPLOAD": "25m",
    }
    (folder / "digitaix.conf").write_text(render(TEMPLATE.read_text(), values))
    (folder / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"pid {folder}/nginx.pid;\nerror_log {folder}/logs/error.log;\nevents {{}}\n"
        f"http {{\n  include /etc/nginx/mime.types;\n  access_log off;\n"
        f"  client_body_temp_path {folder}/body;\n  proxy_temp_path {folder}/proxy;\n"
        f"  fastcgi_temp_path {folder}/fcgi;\n  uwsgi_temp_path {folder}/uwsgi;\n"
        f"  scgi_temp_path {folder}/scgi;\n  include {folder}/digitaix.conf;\n}}\n"
    )
    command = [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE)
    try:
        wait_for_port(https, seconds=15)
        yield {"http": http, "https": https}
    finally:
        process.terminate()
        process.wait(timeout=15)


def request(port: int, raw: bytes, *, tls: bool, timeout: float = 5) -> bytes:
    """Send `raw` and return the whole answer; raises socket.timeout when none comes."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    if tls:
        sock = insecure_tls().wrap_socket(sock, server_hostname="localhost")
    with sock:
        sock.sendall(raw)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def insecure_tls() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # our self-signed cert
    return context


def get(path: str, *, host: str = "localhost", extra: str = "") -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: {host}\r\n{extra}Connection: close\r\n\r\n".encode()


def hold_half_open(port: int, count: int, *, tls: bool) -> list:
    """`count` connections that start a request and never finish its headers."""
    held = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        if tls:
            sock = insecure_tls().wrap_socket(sock, server_hostname="localhost")
        sock.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
        held.append(sock)
    return held


def test_without_the_proxy_three_half_open_connections_silence_gunicorn(gunicorn):
    """The problem, as the shipped gunicorn command has it (the proxy is what fixes it)."""
    held = hold_half_open(gunicorn, WORKERS, tls=False)
    try:
        time.sleep(0.5)
        with pytest.raises(TimeoutError):
            request(gunicorn, get("/healthz", extra="X-Forwarded-Proto: https\r\n"), tls=False)
    finally:
        for sock in held:
            sock.close()


def test_healthz_answers_through_the_proxy_while_slow_clients_hold_connections(proxy):
    held = hold_half_open(proxy["https"], 4 * WORKERS, tls=True)
    held += hold_half_open(proxy["http"], 4 * WORKERS, tls=False)
    try:
        time.sleep(0.5)
        for _ in range(3):
            started = time.monotonic()
            answer = request(proxy["https"], get("/healthz"), tls=True)
            assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
            assert b'"status": "ok"' in answer and time.monotonic() - started < 3
        assert request(proxy["http"], get("/healthz"), tls=False).startswith(b"HTTP/1.1 200")
    finally:
        for sock in held:
            sock.close()


def test_plain_http_is_sent_to_https_even_when_the_client_claims_https(proxy):
    answer = request(proxy["http"], get("/", extra="X-Forwarded-Proto: https\r\n"), tls=False)
    assert answer.startswith(b"HTTP/1.1 301") and b"Location: https://localhost/" in answer


def test_an_upload_above_the_limit_is_refused_before_gunicorn(proxy):
    head = (
        "POST /dashboard/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/csv\r\n"
        f"Content-Length: {25 * 1024 * 1024 + 1}\r\nConnection: close\r\n\r\n"
    )
    # nginx may answer only once it gives up waiting for the body it refuses: a long time-out.
    answer = request(proxy["https"], head.encode(), tls=True, timeout=30)
    assert answer.startswith(b"HTTP/1.1 413")


def test_static_and_media_are_served_by_the_proxy_and_media_never_runs(proxy):
    static = request(proxy["https"], get("/static/site.css"), tls=True)
    assert static.startswith(b"HTTP/1.1 200") and b"Server: nginx" in static
    media = request(proxy["https"], get("/media/photo.txt"), tls=True)
    assert media.startswith(b"HTTP/1.1 200") and b"sandbox" in media
    assert b"X-Content-Type-Options: nosniff" in media


def test_static_files_are_sent_compressed_and_hashed_names_kept_a_year(proxy):
    path = "/static/site.0123456789ab.css"
    plain = request(proxy["https"], get(path), tls=True)
    head, _, body = plain.partition(b"\r\n\r\n")
    assert plain.startswith(b"HTTP/1.1 200") and b"Content-Encoding" not in head
    assert body == CSS.encode()
    assert b"Cache-Control: public, max-age=31536000, immutable" in head
    assert b"Vary: Accept-Encoding" in head

    packed = request(proxy["https"], get(path, extra="Accept-Encoding: gzip, br\r\n"), tls=True)
    head, _, body = packed.partition(b"\r\n\r\n")
    assert b"Content-Encoding: gzip" in head and gzip.decompress(body) == CSS.encode()
    assert len(body) < len(CSS) / 5

    unhashed = request(proxy["https"], get("/static/site.css"), tls=True)
    assert b"Cache-Control: public, max-age=3600" in unhashed
