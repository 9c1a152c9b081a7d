"""Production settings: the docker-compose deployment behind a TLS-terminating proxy.

Refuses to start without its secrets (``DJANGO_SECRET_KEY``, ``DATABASE_URL``,
``DJANGO_ALLOWED_HOSTS``). ``DJANGO_ALLOW_PLAIN_HTTP=true`` turns off the HTTPS-only
switches so the very same settings can be exercised over plain HTTP on loopback (load
and security tests); it must never be set behind a real proxy.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *
from .base import DATABASES, MIDDLEWARE, STORAGES, env, installed_apps


def _required(name):
    value = env(name, default="")
    if not value:
        raise ImproperlyConfigured(f"Production settings need the environment variable {name}; see .env.example.")
    return value


DEBUG = False
SECRET_KEY = _required("DJANGO_SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith(("dev-only", "change-me")):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be a random string of at least 50 characters.")
_required("DATABASE_URL")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Production settings need DJANGO_ALLOWED_HOSTS; see .env.example.")
_required("REDIS_URL")

# No demo data here unless asked for: PORTAL_DEMO=1 installs the demo app (seed_demo, generate_scale),
# as the fault tests' throwaway stack does (tests/robustness/stack.py). Never on a real installation:
# seed_demo makes accounts, an administrator among them, with a published password.
PORTAL_DEMO = env.bool("PORTAL_DEMO", default=False)
INSTALLED_APPS = installed_apps(demo=PORTAL_DEMO)

# Persistent connections: one per gunicorn worker and Celery process, checked before each request
# (CONN_HEALTH_CHECKS in base), so a restarted PostgreSQL costs one reconnect, not an error
# (tests/robustness). Opening a connection per request cost each page a PostgreSQL backend fork and
# the session set-up (bench/README.md, load test). Behind pgbouncer in transaction mode, keep it.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)

PLAIN_HTTP = env.bool("DJANGO_ALLOW_PLAIN_HTTP", default=False)

# The TLS proxy sets X-Forwarded-Proto; trust it only in production.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = env.bool("DJANGO_USE_X_FORWARDED_HOST", default=False)
SECURE_SSL_REDIRECT = not PLAIN_HTTP
SESSION_COOKIE_SECURE = not PLAIN_HTTP
CSRF_COOKIE_SECURE = not PLAIN_HTTP
LANGUAGE_COOKIE_SECURE = not PLAIN_HTTP
SECURE_HSTS_SECONDS = 0 if PLAIN_HTTP else env.int("DJANGO_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not PLAIN_HTTP
SECURE_HSTS_PRELOAD = False
# An intranet host name can never be on the browsers' HSTS preload list; HSTS itself is on.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_AGE", default=4 * 60 * 60)

WHITENOISE_USE_FINDERS = False
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.runserver_nostatic"]
