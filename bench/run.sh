#!/usr/bin/env bash
# Load-test the reference town: a throw-away PostgreSQL database, the seeded town, gunicorn
# on a free loopback port, then bench/load.py on a few pages and on a bare "ceiling" page.
# Everything it creates (database, server, temp folder) is removed at the end, also on failure.
# See bench/README.md. Knobs (environment): BENCH_SCALE (1: the reference town, 10: ten times
# it), BENCH_SHOPS, BENCH_PRODUCTS, BENCH_SEED, BENCH_WORKERS, BENCH_CONCURRENCY,
# BENCH_REQUESTS, BENCH_WARMUP, BENCH_MAX_SECONDS, BENCH_QUERY.
set -euo pipefail

cd "$(dirname "$0")/.."

PY=.venv/bin/python
PG_HOST=127.0.0.1
PG_PORT=5432
PG_USER=postgres
SCALE=${BENCH_SCALE:-1}
[[ "$SCALE" =~ ^[1-9][0-9]*$ ]] || { echo "BENCH_SCALE must be a whole number (1, 10...)" >&2; exit 2; }
SHOPS=${BENCH_SHOPS:-$((119 * SCALE))}
PRODUCTS=${BENCH_PRODUCTS:-$((4154 * SCALE))}
WORKERS=${BENCH_WORKERS:-3}
QUERY=${BENCH_QUERY:-fromage}
DB="digitaix_bench_$$"
TMP=$(mktemp -d -t digitaix-bench.XXXXXX)
LOG_NAME=bench
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_traps
bench_checks
bench_env
export DJANGO_SERVE_MEDIA=false
export CACHE_URL="locmemcache://digitaix-bench"
export DIGITAIX_BENCH=true

bench_database

seed_args=(--shops "$SHOPS" --products "$PRODUCTS")
[ -n "${BENCH_SEED:-}" ] && seed_args+=(--seed "$BENCH_SEED")
log "seed_town ${seed_args[*]}"
seed_started=$(date +%s)
$PY manage.py seed_town "${seed_args[@]}"
seed_seconds=$(( $(date +%s) - seed_started ))

log "collectstatic"
$PY manage.py collectstatic --noinput --verbosity 0

# The list pages twice: as kept for every visitor (catalog/pagecache.py), and rendered on each
# request ("-rendered": a parameter no page reads is never kept), the cost of a first visit
# after a change to the catalogue.
# A real category (the first top-level one that has products on sale), a real product and the
# storefront of the shop that offers the most.
pick=$($PY manage.py shell --no-imports -c "
from catalog.selectors import products_on_sale
from oscar.core.loading import get_model
Category = get_model('catalogue', 'Category')
on_sale = products_on_sale()
product = on_sale.order_by('pk').first()
category = next(
    (c for c in Category.objects.browsable().filter(depth=1).order_by('path')
     if on_sale.filter(categories__path__startswith=c.path).exists()),
    None,
)
from django.urls import reverse
from shops.selectors import shops_featured
shop = next(iter(shops_featured(limit=1)), None)
print('BENCH product', product.get_absolute_url() if product else '')
print('BENCH product_pk', product.pk if product else '')
print('BENCH storefront', reverse('shops:storefront', kwargs={'slug': shop.code}) if shop else '')
print('BENCH category', category.get_absolute_url() if category else '')
print('BENCH counts', on_sale.count(), get_model('partner', 'Partner').objects.filter(status='live').count())
")
# What residents type in the search box, for the cold type-ahead: distinct beginnings (3 to 7
# letters) of the words of product titles and shop names, in a fixed random order.
$PY manage.py shell --no-imports -c "
import random
from catalog.text import normalize
from oscar.core.loading import get_model
titles = get_model('catalogue', 'Product').objects.values_list('title', flat=True)
names = get_model('partner', 'Partner').objects.values_list('name', flat=True)
words = {w for text in [*titles, *names] for w in normalize(text).split() if len(w) >= 4 and w.isalpha()}
rng = random.Random(15)
prefixes = sorted({w[: rng.randint(3, min(7, len(w)))] for w in sorted(words)})
rng.shuffle(prefixes)
print('\\n'.join(prefixes))
" >"$TMP/words.txt"
log "type-ahead: $(wc -l <"$TMP/words.txt") distinct beginnings of words"
product_url=$(sed -n 's/^BENCH product //p' <<<"$pick")
category_url=$(sed -n 's/^BENCH category //p' <<<"$pick")
product_pk=$(sed -n 's/^BENCH product_pk //p' <<<"$pick")
storefront_url=$(sed -n 's/^BENCH storefront //p' <<<"$pick")
read -r n_products n_shops < <(sed -n 's/^BENCH counts //p' <<<"$pick")
[ -n "$product_url" ] || { echo "No product on sale after seeding" >&2; exit 1; }
[ -n "$category_url" ] || { echo "No category with products after seeding" >&2; exit 1; }
[ -n "$storefront_url" ] || { echo "No live shop after seeding" >&2; exit 1; }
log "town: $n_shops live shops, $n_products products on sale (seeded in ${seed_seconds}s)"

bench_gunicorn "$WORKERS"
commit=$(bench_commit)
pg_version=$(psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -Atqc 'SHOW server_version' | cut -d' ' -f1)

log "load (scale $SCALE)"
# In the background, then `wait`: a TERM or Ctrl-C stops the run at once, not after the load.
$PY bench/load.py --base "$BASE" \
    --concurrency "${BENCH_CONCURRENCY:-8}" \
    --requests "${BENCH_REQUESTS:-500}" \
    --warmup "${BENCH_WARMUP:-30}" \
    --max-seconds "${BENCH_MAX_SECONDS:-60}" \
    --page "ceiling=/bench/ceiling" \
    --page "home=/" \
    --page "catalogue=/catalogue/" \
    --page "category=$category_url" \
    --page "search=/search/?q=$QUERY" \
    --page "directory=/boutiques/" \
    --page "storefront=$storefront_url" \
    --page "home-rendered=/?rendered=1" \
    --page "catalogue-rendered=/catalogue/?rendered=1" \
    --page "category-rendered=$category_url?rendered=1" \
    --page "search-rendered=/search/?q=$QUERY&rendered=1" \
    --page "directory-rendered=/boutiques/?rendered=1" \
    --page "storefront-rendered=$storefront_url?rendered=1" \
    --page "product=$product_url" \
    --page "oscar-product=/bench/oscar-product/$product_pk/" \
    --page "typeahead=/search/suggestions/?q=fromag" \
    --page "typeahead-trade=/search/suggestions/?q=boulang" \
    --page "typeahead-cold=/search/suggestions/?q={word}" \
    --words "$TMP/words.txt" \
    --out "bench/results/scale-$SCALE" \
    --meta "scale=$SCALE" \
    --meta "commit=$commit" \
    --meta "server=gunicorn $WORKERS sync workers, DEBUG off, PostgreSQL $pg_version" \
    --meta "town=$n_shops shops, $n_products products on sale (seed_town ${seed_args[*]}, ${seed_seconds}s)" \
    --meta "machine=$(nproc) cores, $(uname -m), load generator on the same machine" &
LOAD_PID=$!
wait "$LOAD_PID"
