# syntax=docker/dockerfile:1
#
# Songjiang pilot portal: one image for every Django process of docker-compose.yml
# (web = gunicorn, worker/beat = Celery, migrate = one-shot `manage.py migrate`).
# TLS is not handled here: the district's reverse proxy terminates it in front of web:8000.

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# System libraries:
# - pango/pangoft2/harfbuzz: WeasyPrint's text layout (no cairo needed since WeasyPrint 53);
# - libharfbuzz-subset0: fast font subsetting (without it a 20-page report takes ~3x longer);
# - fonts-noto-cjk: "Noto Sans CJK SC", the face the PDF templates name for Chinese text;
# - gettext: msgfmt for `compilemessages` below;
# - libpq5: PostgreSQL client library.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        fonts-noto-cjk \
        gettext \
        libpq5 \
    && rm -rf /var/lib/apt/lists/*

# Unprivileged runtime user. The code and collected static files stay owned by root
# (read-only for the application); only the media volume is writable by `portal`.
RUN groupadd --system --gid 10001 portal \
    && useradd --system --uid 10001 --gid portal --home-dir /home/portal --create-home \
        --shell /usr/sbin/nologin portal

WORKDIR /app

# Runtime dependencies only (pinned exactly, see docs/stack.md); a layer of its own so
# code changes do not reinstall them. The demo's packages (factory_boy, Faker) only in an image
# built for a demonstration: docker build --build-arg PORTAL_DEMO=1 (then run it with PORTAL_DEMO=1
# to install the demo app and its seed_demo). The production image never carries them.
ARG PORTAL_DEMO=0
COPY requirements.txt requirements-demo.txt ./
RUN if [ "$PORTAL_DEMO" = "1" ]; then pip install -r requirements-demo.txt; else pip install -r requirements.txt; fi

COPY . .

# Translations: .mo files are build artefacts (git ignores them).
RUN DJANGO_SETTINGS_MODULE=songjiang_pilot.settings.base python manage.py compilemessages

# Static files. Production serves them with whitenoise's CompressedManifestStaticFilesStorage,
# which needs the staticfiles.json manifest that only that storage writes: collecting with
# settings.base (plain CompressedStaticFilesStorage) leaves no manifest and every page of the
# production image answers 500 ("Missing staticfiles manifest entry"). So collect with the
# production settings, fed throwaway build-only values: collectstatic connects to neither the
# database nor Redis, and none of these values is persisted in the image's environment.
RUN DJANGO_SETTINGS_MODULE=songjiang_pilot.settings.production \
    DJANGO_SECRET_KEY=build-time-placeholder-used-only-by-collectstatic-not-a-secret \
    DATABASE_URL=sqlite:////tmp/collectstatic-placeholder.sqlite3 \
    REDIS_URL=redis://build-placeholder.invalid:6379/0 \
    DJANGO_ALLOWED_HOSTS=build-placeholder.invalid \
    python manage.py collectstatic --noinput \
    && test -f /app/staticfiles/staticfiles.json

# Uploaded files: outside the web root, never served directly (core.files checks permissions).
ENV PORTAL_VAR_DIR=/var/lib/portal \
    DJANGO_MEDIA_ROOT=/var/lib/portal/media
RUN mkdir -p /var/lib/portal/media \
    && chown -R portal:portal /var/lib/portal \
    && chmod 750 /var/lib/portal/media
VOLUME ["/var/lib/portal/media"]

ENV DJANGO_SETTINGS_MODULE=songjiang_pilot.settings.production

USER portal
EXPOSE 8000

CMD ["gunicorn", "songjiang_pilot.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--workers", "3", \
     "--timeout", "60", \
     "--access-logfile", "-"]
