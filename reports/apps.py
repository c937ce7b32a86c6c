from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "PEEL inspections"

    def ready(self) -> None:
        from reports.history import connect_history_baseline_signals
        from reports.signals import connect_data_version_signals

        connect_data_version_signals()
        connect_history_baseline_signals()
