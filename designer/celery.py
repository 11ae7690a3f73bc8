"""The Celery application: configured from Django settings (``CELERY_*``), tasks autodiscovered."""

from __future__ import annotations

import os

from celery import Celery
from celery.signals import after_setup_logger, after_setup_task_logger

from designer.logfilters import scrub_handlers

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designer.settings")

app = Celery("designer")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The worker replaces the root logger's handlers (settings.LOGGING's) with its own and gives
# celery.task one: these get the same scrubbing filter (no query value, no machine token).
after_setup_logger.connect(scrub_handlers, weak=False)
after_setup_task_logger.connect(scrub_handlers, weak=False)
