from django.db import migrations

from peel.roles import roles_sync_in_migration


class Migration(migrations.Migration):
    dependencies = [("reports", "0006_accountability")]

    operations = [migrations.RunPython(roles_sync_in_migration, migrations.RunPython.noop)]
