from django.core.management.base import BaseCommand

from peel.roles import roles_sync


class Command(BaseCommand):
    help = "Create the Editor and Administrator groups and give them exactly their permissions (safe to rerun)."

    def handle(self, *args, **options):
        for role, count in roles_sync().items():
            self.stdout.write(f"{role}: {count} permissions")
