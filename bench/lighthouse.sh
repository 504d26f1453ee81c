#!/usr/bin/env bash
# Lighthouse (mobile, its default) over the public pages of the demo town, served as in
# production: gunicorn, DEBUG off, static files collected and served by WhiteNoise (hashed
# names, compressed). Prints the four scores of each page (performance, accessibility, best
# practices, SEO) and what fails; writes Lighthouse's reports to bench/results/lighthouse/.
# Everything it creates (database, server, temp folder) is removed at the end, also on failure.
# See bench/README.md. Knobs (environment): LIGHTHOUSE_RUNS (3), LIGHTHOUSE_PAGES (all: "home
# catalogue search storefront product basket"), BENCH_QUERY (fromage), BENCH_WORKERS (2),
# DIGITAIX_CHROMIUM (/usr/bin/chromium).
set -euo pipefail

cd "$(dirname "$0")/.."

PY=.venv/bin/python
PG_HOST=127.0.0.1
PG_PORT=5432
PG_USER=postgres
RUNS=${LIGHTHOUSE_RUNS:-3}
WORKERS=${BENCH_WORKERS:-2}
QUERY=${BENCH_QUERY:-fromage}
CHROME=${DIGITAIX_CHROMIUM:-/usr/bin/chromium}
LH_DIR=bench/lighthouse
LIGHTHOUSE="$LH_DIR/node_modules/.bin/lighthouse"
OUT=bench/results/lighthouse
DB="digitaix_lighthouse_$$"
TMP=$(mktemp -d -t digitaix-lighthouse.XXXXXX)
LOG_NAME=lighthouse
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_traps
bench_checks
[ -x "$CHROME" ] || { echo "No Chromium at $CHROME (apt install chromium, or set DIGITAIX_CHROMIUM)" >&2; exit 1; }
command -v npm >/dev/null || { echo "npm is needed (Node >= 18.20) to install Lighthouse" >&2; exit 1; }

# Lighthouse pinned by bench/lighthouse/package-lock.json (12.x: 13.x needs Node >= 22.19).
if [ ! -x "$LIGHTHOUSE" ]; then
    log "npm ci (Lighthouse, pinned) in $LH_DIR"
    npm ci --prefix "$LH_DIR" --no-audit --no-fund --loglevel=error
fi

bench_env
# Product pictures are part of what a visitor downloads: served here by Django (by nginx or a
# bucket in production), so that the pages are complete, not full of broken images.
export DJANGO_SERVE_MEDIA=true
export CACHE_URL="locmemcache://digitaix-lighthouse"

bench_database
log "seed_town (the demo town)"
$PY manage.py seed_town >/dev/null
log "collectstatic"
$PY manage.py collectstatic --noinput --verbosity 0

# A product on sale, its shop's storefront, and an anonymous basket holding it (its signed
# cookie is sent by Lighthouse, as Oscar's basket middleware reads it).
pick=$($PY manage.py shell --no-imports -c "
from django.conf import settings
from django.core.signing import Signer
from django.urls import reverse
from oscar.core.loading import get_class, get_model
from catalog.selectors import products_on_sale
product = products_on_sale().order_by('pk').first()
basket = get_model('basket', 'Basket').objects.create()
basket.strategy = get_class('partner.strategy', 'Selector')().strategy()
basket.add_product(product, 1)
shop = basket.all_lines()[0].stockrecord.partner
print('LH product', product.get_absolute_url())
print('LH storefront', reverse('shops:storefront', kwargs={'slug': shop.code}))
print('LH basket', settings.OSCAR_BASKET_COOKIE_OPEN + '=' + Signer().sign(basket.pk))
")
product_url=$(sed -n 's/^LH product //p' <<<"$pick")
storefront_url=$(sed -n 's/^LH storefront //p' <<<"$pick")
basket_cookie=$(sed -n 's/^LH basket //p' <<<"$pick")
[ -n "$product_url" ] && [ -n "$storefront_url" ] && [ -n "$basket_cookie" ] \
    || { echo "No product on sale after seeding: $pick" >&2; exit 1; }

bench_gunicorn "$WORKERS"
commit=$(bench_commit)
rm -rf "$OUT/runs"
mkdir -p "$OUT/runs"

pages=(
    "home=/"
    "catalogue=/catalogue/"
    "search=/search/?q=$QUERY"
    "storefront=$storefront_url"
    "product=$product_url"
    "basket=/basket/"
)
for entry in "${pages[@]}"; do
    name=${entry%%=*}
    path=${entry#*=}
    if [ -n "${LIGHTHOUSE_PAGES:-}" ] && [[ " $LIGHTHOUSE_PAGES " != *" $name "* ]]; then
        continue
    fi
    headers='{}'
    [ "$name" = basket ] && headers="{\"Cookie\": \"$basket_cookie\"}"
    # One request first, so no run measures a cold worker (imports, template loading).
    $PY -c "import urllib.request as u; u.urlopen('$BASE$path', timeout=30).read()"
    for run in $(seq "$RUNS"); do
        log "$name $path (run $run/$RUNS)"
        # Lighthouse now and then loses the trace of a load (NO_NAVSTART, NO_FCP): try again.
        for attempt in 1 2 3; do
            if CHROME_PATH="$CHROME" "$LIGHTHOUSE" "$BASE$path" \
                --quiet --output=json --output-path="$OUT/runs/$name-$run.json" \
                --only-categories=performance,accessibility,best-practices,seo \
                --extra-headers="$headers" \
                --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-extensions --no-first-run" \
                2>"$TMP/lighthouse.log"; then
                break
            fi
            [ "$attempt" -lt 3 ] || { tail -n 20 "$TMP/lighthouse.log" >&2; exit 1; }
            log "  failed ($(grep -o 'Runtime error.*' "$TMP/lighthouse.log" | head -n 1)): again"
        done
    done
done

$PY bench/lighthouse_report.py "$OUT" \
    --meta "commit=$commit" \
    --meta "server=gunicorn $WORKERS sync workers, DEBUG off, WhiteNoise, media served by Django" \
    --meta "lighthouse=$("$LIGHTHOUSE" --version), mobile (simulated throttling), $RUNS runs per page, median" \
    --meta "chromium=$("$CHROME" --version 2>/dev/null | head -n 1)" \
    --meta "machine=$(nproc) cores, $(uname -m), server and browser on the same machine"
