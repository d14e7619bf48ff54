from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "reliefops.core"
    label = "core"
    verbose_name = "ReliefOps core"

    def ready(self) -> None:
        # Bind @shared_task to the ReliefOps Celery app (eager without a broker).
        import reliefops.celery

        # The session clock starts at sign-in (a user_logged_in receiver).
        import reliefops.core.sessions  # noqa: F401
