from django.db import migrations


def roles_resync(apps, schema_editor):
    """Give the Editor and Administrator roles their permissions on the accountability models too."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    from peel.roles import roles_sync

    # Permissions are normally created after migrate; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_contenttypes(app_config, apps=apps, verbosity=0)
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    roles_sync(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("reports", "0006_accountability")]

    operations = [migrations.RunPython(roles_resync, migrations.RunPython.noop)]
