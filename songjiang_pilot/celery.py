"""The one Celery application of the portal.

Configuration comes from Django settings (``CELERY_*``); tasks are discovered in each
app's ``tasks.py``. Without a broker, settings make every task run in-process.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "songjiang_pilot.settings.base")

app = Celery("songjiang_pilot")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
