"""Sign-in with a limit on failed attempts per client address and username (cache-backed).

While the cache (Redis) is down, people can still sign in; failures go uncounted until it is back.
"""

import hashlib
import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def failures_key(address: str, username: str) -> str:
    digest = hashlib.sha256(f"{address}|{username.strip().lower()}".encode()).hexdigest()
    return f"signin-failures:{digest}"


def reset_failures(address: str, username: str) -> None:
    cache.delete(failures_key(address, username))


def _key(request: HttpRequest) -> str:
    return failures_key(request.META.get("REMOTE_ADDR", ""), request.POST.get("username", ""))


class RateLimitedLoginView(auth_views.LoginView):
    """Django's sign-in, refusing with 429 once a client has failed too often for one username."""

    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        key = _key(request)
        if _failures(key) >= settings.STACKBOARD_SIGNIN_ATTEMPTS:
            minutes = settings.STACKBOARD_SIGNIN_WINDOW_SECONDS // 60
            message = f"Too many failed sign-ins. Try again in {minutes} minutes."
            context = {"status": 429, "message": message}
            return render(request, "error.html", context, status=429)
        response = super().post(request, *args, **kwargs)
        try:
            if request.user.is_authenticated:
                cache.delete(key)
            else:
                _count_failure(key)
        except RedisError as error:
            logger.warning("sign-in failure not counted: the cache is unreachable (%s)", error)
        return response


def _failures(key: str) -> int:
    try:
        return cache.get(key, 0)
    except RedisError as error:
        logger.warning("sign-in limit not checked: the cache is unreachable (%s)", error)
        return 0


def _count_failure(key: str) -> None:
    # add() starts the window on the first failure; incr() never extends it.
    if cache.add(key, 1, timeout=settings.STACKBOARD_SIGNIN_WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # the window expired between add() and incr(): start a new one
        cache.add(key, 1, timeout=settings.STACKBOARD_SIGNIN_WINDOW_SECONDS)
