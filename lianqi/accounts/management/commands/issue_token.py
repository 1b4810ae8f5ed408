from django.core.management.base import BaseCommand, CommandError

from lianqi.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = (
        "Issue a new API token of USERNAME and print its key (Authorization: Token <key>). Only a hash "
        "is stored: the key is shown this once."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--rotate", action="store_true", help="Revoke the user's other tokens.")

    def handle(self, *args, username, rotate, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive; activate it first.")
        self.stdout.write(ApiToken.issue(user, replace=rotate))
