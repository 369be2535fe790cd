"""Gzip for JSON responses only.

BREACH recovers a secret from the compressed size of a page that reflects attacker input next
to it; HTML pages carry CSRF tokens, so they stay uncompressed. JSON API responses carry no
such token, and the preview's host list shrinks from megabytes to kilobytes.
"""

from django.middleware.gzip import GZipMiddleware

JSON_TYPES = ("application/json",)


class JsonGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, applied to responses whose content type is JSON."""

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").split(";")[0].strip()
        if content_type not in JSON_TYPES:
            return response
        return super().process_response(request, response)
