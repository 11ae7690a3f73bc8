"""Trigger Designer's Django project package: wiring only, no models."""

from .celery import app as celery_app

__all__ = ("celery_app",)
