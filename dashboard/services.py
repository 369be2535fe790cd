"""Writes of site-wide records: personal API tokens."""

from django.db import transaction

from dashboard import audit
from dashboard.errors import DomainError, NotFound
from dashboard.models import ApiToken, hash_token

MAX_TOKENS_PER_USER = 20


def create_api_token(user, *, name: str) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns it with its key, which is never retrievable again."""
    name = name.strip()
    if not name:
        raise DomainError("Give the token a name.", field="name")
    if len(name) > 100:
        raise DomainError("A token name has at most 100 characters.", field="name")
    with transaction.atomic():
        if ApiToken.objects.select_for_update().filter(user=user).count() >= MAX_TOKENS_PER_USER:
            raise DomainError(
                f"You already have {MAX_TOKENS_PER_USER} tokens; revoke one first.", field="name"
            )
        key = ApiToken.new_key()
        token = ApiToken.objects.create(
            user=user, name=name, prefix=key[: ApiToken.PREFIX_LENGTH], key_hash=hash_token(key)
        )
        audit.record_create(actor=user, obj=token)
    return token, key


def revoke_api_token(user, *, token_id: int) -> None:
    """Delete one of `user`'s own tokens."""
    with transaction.atomic():
        token = ApiToken.objects.filter(user=user, pk=token_id).first()
        if token is None:
            raise NotFound("No such token.", field="token")
        with audit.recording_delete(actor=user, obj=token):
            token.delete()
