# Image for the shared-responsibility matrix portal: one image, three roles
# (web = gunicorn, worker = celery, migrate = one-shot `manage.py migrate`).
# See docker-compose.yml for how they are wired together.

# --- builder: install the locked Python dependencies into a venv --------------
FROM python:3.11-slim-bookworm AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

WORKDIR /src

# Dependencies first, from the runtime lock (exact versions, every file checked
# against its hash, no dev tools; `make lock` writes it), so that this (slow)
# layer is reused when only the application code changes. Every pin has wheels
# for x86_64 and aarch64, so nothing is compiled here.
COPY requirements/runtime.txt ./requirements/
RUN pip install --require-hashes -r requirements/runtime.txt

# Then the project itself: --no-deps, as the lock brought them all, and built
# with the locked setuptools (no build isolation, no unpinned download). pip
# check fails the build if pyproject.toml asks for something the lock lacks.
COPY . .
RUN pip install --no-deps --no-build-isolation . \
 && pip check

# --- runtime -----------------------------------------------------------------
FROM python:3.11-slim-bookworm AS runtime

# Pango/HarfBuzz and a font for the WeasyPrint PDF rendering to come.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        fonts-dejavu-core fonts-liberation \
 && rm -rf /var/lib/apt/lists/*

# Unprivileged user; the code stays root-owned (read-only for the app), only
# the media directory (a named volume in compose) is writable.
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --create-home --home-dir /home/app app \
 && mkdir -p /data/media \
 && chown app:app /data/media

COPY --from=builder /opt/venv /opt/venv

# settings.py derives BASE_DIR (templates/, static/, staticfiles/) from its own
# location, and the wheel carries only the Python modules, so the app runs from
# the source tree in /app: PYTHONPATH puts it ahead of the installed copy.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=portal.settings \
    PORTAL_ENV=production \
    MEDIA_ROOT=/data/media \
    WEB_CONCURRENCY=3

WORKDIR /app
COPY . .

# Static files are collected at build time with the *production* storage
# (whitenoise's compressed manifest), so this step runs in production mode
# with throw-away values for the mandatory variables. They exist only for
# this RUN: nothing is connected to, and none of them ends up in the image.
RUN SECRET_KEY=collectstatic-build-only-not-a-secret \
    AUDIT_HMAC_KEY=collectstatic-build-only-not-a-secret \
    ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://build:build@localhost:5432/build \
    CELERY_BROKER_URL=memory:// \
    EMAIL_HOST=localhost \
    python manage.py collectstatic --noinput

USER app
EXPOSE 8000

# Healthy = the home page (which reads the database) answers 2xx/3xx. The Host
# header is the first ALLOWED_HOSTS entry so the check passes host validation.
# Containers running the worker/migrate roles override or disable this check.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; h = (os.environ.get('ALLOWED_HOSTS') or 'localhost').split(',')[0].strip().lstrip('.').replace('*', 'localhost') or 'localhost'; u.urlopen(u.Request('http://127.0.0.1:8000/', headers={'Host': h, 'X-Forwarded-Proto': 'https'}), timeout=4)"]

# Migrations are NOT run here: compose runs a one-shot `migrate` service
# (`python manage.py migrate --noinput`) that web and worker wait for, so
# scaling web to several replicas never runs migrations concurrently.
# gunicorn.conf.py says how gunicorn runs and why (sync workers behind a buffering
# proxy, a 60 s worker timeout, WEB_CONCURRENCY workers: 3 unless set).
CMD ["gunicorn", "--config", "/app/gunicorn.conf.py", "portal.wsgi:application"]
