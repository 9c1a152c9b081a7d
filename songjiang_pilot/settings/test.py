"""Settings for the test suite: the base settings with what tests need changed.

The database, cache and broker still come from the environment (``make test`` points
them at PostgreSQL and Redis); only speed-ups and artefact-free storage differ.
"""

from .base import *  # noqa: F403
from .base import STORAGES, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# whitenoise's manifest storage needs collectstatic; tests use plain storage (STACK_NOTES.md).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default="/tmp/songjiang-test-media"))  # noqa: F405
STORAGES["default"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": None},
}
