"""Settings of the web, worker and beat processes the fault tests start: production's, unchanged but for
static files, which are served from the source tree (the manifest storage would need a ``collectstatic``
run of about a minute, which proves nothing about faults)."""

from songjiang_pilot.settings.production import *  # noqa: F403
from songjiang_pilot.settings.production import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
