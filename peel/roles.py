"""The two roles that may change data: Editor (enter and change) and Administrator (also delete and manage users).

A public reader needs no account. Roles are auth groups; `roles_sync` gives them their permissions and
runs from a data migration (for a fresh database) and from `manage.py roles_sync` (after models are added).
"""

from django.apps import apps as django_apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes

EDITOR = "Editor"
ADMINISTRATOR = "Administrator"
ROLES = (EDITOR, ADMINISTRATOR)

DATA_APPS = ("forces", "reports")
# Bookkeeping, not data: nobody edits these by hand.
NOT_EDITABLE = {("reports", "dataversion"), ("reports", "datascope"), ("reports", "moverpair")}
USER_MODELS = (("auth", "user"), ("auth", "group"))

ROLE_ACTIONS = {
    EDITOR: ("add", "change", "view"),
    ADMINISTRATOR: ("add", "change", "delete", "view"),
}


def data_model_names(*, apps=django_apps) -> list[tuple[str, str]]:
    """(app label, model name) of every model holding published data, history tables left out."""
    names = []
    for label in DATA_APPS:
        for model in apps.get_app_config(label).get_models():
            name = model._meta.model_name
            if not name.startswith("historical") and (label, name) not in NOT_EDITABLE:
                names.append((label, name))
    return sorted(names)


def roles_sync(*, apps=django_apps) -> dict[str, int]:
    """Create the Editor and Administrator groups if missing and set exactly their permissions;
    returns how many permissions each has. Pass a migration's `apps` to run inside a migration."""
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    models = data_model_names(apps=apps)
    counts = {}
    for role, actions in ROLE_ACTIONS.items():
        wanted = [(label, f"{action}_{name}") for label, name in models for action in actions]
        if role == ADMINISTRATOR:
            wanted += [(label, f"{action}_{name}") for label, name in USER_MODELS for action in actions]
        wanted_set = set(wanted)
        candidates = permission_model.objects.filter(content_type__app_label__in={label for label, _ in wanted})
        permissions = [
            permission
            for permission in candidates.select_related("content_type")
            if (permission.content_type.app_label, permission.codename) in wanted_set
        ]
        group, _ = group_model.objects.get_or_create(name=role)
        group.permissions.set(permissions)
        counts[role] = len(permissions)
    return counts


def user_has_role(user) -> bool:
    """Whether a user may reach the admin and the editor pages: active staff with a role, or a superuser."""
    if not (user.is_active and user.is_staff):
        return False
    return user.is_superuser or user.groups.filter(name__in=ROLES).exists()


def roles_sync_in_migration(apps, schema_editor) -> None:
    """A data migration's step giving the roles their permissions on every model the migrations have made so far."""
    # Permissions are normally created after migrate; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_contenttypes(app_config, apps=apps, verbosity=0)
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    roles_sync(apps=apps)
