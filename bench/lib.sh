# What bench/run.sh and bench/lighthouse.sh share: a throw-away PostgreSQL database, the
# portal's environment as in production (DEBUG off, nothing from a developer's .env), gunicorn
# on a free loopback port, and a cleanup that removes all of it, also on failure or Ctrl-C.
# Sourced after the caller set PY, PG_HOST, PG_PORT, PG_USER, DB, TMP and LOG_NAME.

GUNICORN_PID=""
LOAD_PID=""
DB_CREATED=""

log() { printf '[%s %s] %s\n' "$LOG_NAME" "$(date +%H:%M:%S)" "$*"; }

bench_cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [ -n "$LOAD_PID" ]; then kill -TERM "$LOAD_PID" 2>/dev/null || true; fi
    if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
        log "stopping gunicorn ($GUNICORN_PID)"
        kill -TERM "$GUNICORN_PID" 2>/dev/null || true
        for _ in $(seq 20); do kill -0 "$GUNICORN_PID" 2>/dev/null || break; sleep 0.5; done
        kill -KILL "$GUNICORN_PID" 2>/dev/null || true
        wait "$GUNICORN_PID" 2>/dev/null || true
    fi
    if [ -n "$DB_CREATED" ]; then
        log "dropping database $DB"
        dropdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" --if-exists --force "$DB" || true
    fi
    if [ "$rc" -ne 0 ] && [ -f "$TMP/gunicorn.log" ]; then
        echo "--- last lines of the gunicorn log:" >&2
        tail -n 40 "$TMP/gunicorn.log" >&2 || true
    fi
    rm -rf "$TMP"
    exit "$rc"
}

bench_traps() {
    trap bench_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

bench_checks() {
    [ -x "$PY" ] || { echo "No $PY: run 'make install' first" >&2; exit 1; }
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" \
        || { echo "PostgreSQL is not answering on $PG_HOST:$PG_PORT" >&2; exit 1; }
}

# Only what this sets: a developer's .env must not change the figures (settings read .env
# without overriding the real environment). The caller adds what differs (media, cache...).
bench_env() {
    export DATABASE_URL="postgres://$PG_USER@$PG_HOST:$PG_PORT/$DB"
    export DJANGO_DEBUG=false
    export DJANGO_SECRET_KEY="bench-only-not-a-secret"
    export DJANGO_SECURE_SSL_REDIRECT=false  # plain HTTP to gunicorn
    export DJANGO_ALLOWED_HOSTS=127.0.0.1
    export DJANGO_STATIC_ROOT="$TMP/static"
    export DJANGO_MEDIA_ROOT="$TMP/media"
    export DJANGO_LOG_LEVEL=WARNING
    export CELERY_BROKER_URL=""
    export CELERY_TASK_ALWAYS_EAGER=true
}

bench_database() {
    log "database $DB"
    createdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$DB"
    DB_CREATED=1
    log "migrate"
    $PY manage.py migrate --noinput --verbosity 0
}

# gunicorn with $1 sync workers on a free port; sets GUNICORN_PID and BASE once /healthz answers.
bench_gunicorn() {
    local port healthy=""
    port=$($PY -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
    BASE="http://127.0.0.1:$port"
    log "gunicorn: $1 sync workers on $BASE"
    .venv/bin/gunicorn digitaix.wsgi \
        --bind "127.0.0.1:$port" --workers "$1" --no-control-socket \
        --timeout 60 --log-level warning >"$TMP/gunicorn.log" 2>&1 &
    GUNICORN_PID=$!
    for _ in $(seq 60); do
        kill -0 "$GUNICORN_PID" 2>/dev/null || { echo "gunicorn exited" >&2; exit 1; }
        if $PY -c "import urllib.request as u; u.urlopen('$BASE/healthz', timeout=2)" 2>/dev/null; then
            healthy=1
            break
        fi
        sleep 1
    done
    [ -n "$healthy" ] || { echo "$BASE/healthz did not answer 200 within 60s" >&2; exit 1; }
}

bench_commit() {
    local commit
    commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    git diff --quiet HEAD 2>/dev/null || commit="$commit+dirty"
    echo "$commit"
}
