"""Settings for the test suite: the base settings with what tests need changed.

The database, cache and broker still come from the environment (``make test`` points
them at PostgreSQL and Redis); only speed-ups and artefact-free storage differ.
"""

from .base import *
from .base import VAR_DIR, installed_apps

# The suite tests the demo (seed_demo, the scale generator) and builds its data with the demo's factories.
PORTAL_DEMO = True
INSTALLED_APPS = installed_apps(demo=True)

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# whitenoise's manifest storage needs collectstatic; tests use plain storage (docs/stack.md).
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "test-media"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
