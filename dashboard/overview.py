"""The home overview: features register tile providers; each decides what the user may see."""

from collections.abc import Callable

from django.http import HttpRequest

# A provider takes the request and returns a tile dict (title, template, context) or None.
TileProvider = Callable[[HttpRequest], dict | None]
_providers: list[TileProvider] = []


def tile(provider: TileProvider) -> TileProvider:
    """Decorator: register a tile provider (apps import theirs in AppConfig.ready())."""
    _providers.append(provider)
    return provider


def tiles_for(request: HttpRequest) -> list[dict]:
    return [t for t in (provider(request) for provider in _providers) if t is not None]
