"""Create a personal API token for a user and print its key (for scripts and operators)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dashboard import services
from dashboard.errors import DomainError


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print the key (shown only this once)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="command-line")

    def handle(self, *args, username: str, name: str, **options) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        try:
            _, key = services.create_api_token(user, name=name)
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(key)
