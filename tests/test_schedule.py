from datetime import UTC, datetime, timedelta

from newsdesk.jobs.schedule import adaptive_interval, backoff_delay
from newsdesk.settings import load_settings

SETTINGS = load_settings(environ={})
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_new_source_uses_the_default_interval() -> None:
    assert adaptive_interval([T0], SETTINGS) == SETTINGS.refresh_interval


def test_busy_source_is_fetched_often_but_not_below_the_floor() -> None:
    every_minute = [T0 + timedelta(minutes=i) for i in range(20)]
    assert adaptive_interval(every_minute, SETTINGS) == SETTINGS.refresh_min_interval


def test_interval_follows_publishing_rate() -> None:
    every_two_hours = [T0 + timedelta(hours=2 * i) for i in range(10)]
    assert adaptive_interval(every_two_hours, SETTINGS) == 3600


def test_quiet_source_is_capped() -> None:
    monthly = [T0 + timedelta(days=30 * i) for i in range(5)]
    assert adaptive_interval(monthly, SETTINGS) == SETTINGS.refresh_max_interval


def test_backoff_grows_exponentially_and_is_capped() -> None:
    delays = [backoff_delay(n, 600, SETTINGS) for n in range(1, 12)]
    assert delays[:4] == [600, 1200, 2400, 4800]
    assert delays == sorted(delays)
    assert delays[-1] == SETTINGS.backoff_max


def test_retry_after_is_honoured() -> None:
    assert backoff_delay(1, 60, SETTINGS, retry_after=7200) == 7200
