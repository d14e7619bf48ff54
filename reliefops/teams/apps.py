from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "reliefops.teams"
    label = "teams"
    verbose_name = "ReliefOps teams"

    def ready(self) -> None:
        # --- added for hosp
        from reliefops.teams.subject_hospital import register_subject_data

        register_subject_data()
