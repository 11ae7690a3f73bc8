from django.apps import AppConfig


class ConnectorsConfig(AppConfig):
    name = "connectors"
    verbose_name = "Connectors"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The system checks register themselves; the Celery tasks too, so that the services can
        # queue a task by its name (they do not import the tasks, which call them).
        from . import checks, tasks  # noqa: F401
