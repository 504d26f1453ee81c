# syntax=docker/dockerfile:1
# Digitaix web image: gunicorn serving digitaix.wsgi, static files through WhiteNoise.
# The same image runs the Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    DJANGO_MEDIA_ROOT=/app/media \
    WEB_CONCURRENCY=3

# DejaVu: the demo town's generated product pictures draw accented titles with it.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 1000 digitaix \
    && useradd --system --uid 1000 --gid digitaix --home-dir /app --no-create-home digitaix

WORKDIR /app

# Dependencies first, pinned by constraints.txt: this layer is rebuilt only when they change.
# (pyproject.toml declares no package: the code is run from /app, not from site-packages.)
COPY pyproject.toml constraints.txt README.md ./
RUN pip install -c constraints.txt .

COPY --chown=digitaix:digitaix . .

# Static files are collected into the image; the secret is a throw-away for this step only.
RUN mkdir -p static media \
    && DJANGO_SECRET_KEY=collectstatic-only-not-a-secret python manage.py collectstatic --noinput \
    && chown -R digitaix:digitaix /app/staticfiles /app/media

USER digitaix

EXPOSE 8000

# WEB_CONCURRENCY sets the number of gunicorn workers (gunicorn reads it itself).
CMD ["gunicorn", "digitaix.wsgi", \
     "--bind", "0.0.0.0:8000", \
     "--worker-tmp-dir", "/dev/shm", \
     "--no-control-socket", \
     "--access-logfile", "-", \
     "--timeout", "30", \
     "--graceful-timeout", "20"]
