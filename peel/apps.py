from django.contrib.admin.apps import AdminConfig
from django.db.backends.signals import connection_created

from peel.database_guard import query_deadline_install
from peel.logging import stderr_hooks_install


class PeelAdminConfig(AdminConfig):
    default_site = "peel.admin.PeelAdminSite"

    def ready(self) -> None:
        super().ready()
        # Python's last-resort tracebacks go through the JSON log too; every PostgreSQL query gets its deadline.
        stderr_hooks_install()
        connection_created.connect(query_deadline_install, dispatch_uid="peel_query_deadline")
