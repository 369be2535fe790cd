"""Locks: one holder at a time, released on exit (Redis when REDIS_URL is set)."""

from dashboard.locks import held_lock


def test_a_held_lock_cannot_be_taken_twice_and_is_released_on_exit():
    with (
        held_lock("test-lock-exclusive", timeout=30) as first,
        held_lock("test-lock-exclusive", timeout=30) as second,
    ):
        assert first is True
        assert second is False
    with held_lock("test-lock-exclusive", timeout=30) as again:
        assert again is True
