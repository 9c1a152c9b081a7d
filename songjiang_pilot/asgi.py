"""ASGI entry point (not used by the compose deployment, kept for completeness)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "songjiang_pilot.settings.base")
application = get_asgi_application()
