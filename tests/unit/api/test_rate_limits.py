"""Token buckets on a clock the test moves by hand."""

from __future__ import annotations

from openlrs.api.operations.rate_limits import TokenBuckets


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_key_gets_its_burst_then_waits_for_the_refill() -> None:
    clock = Clock()
    buckets = TokenBuckets(rate=2.0, burst=3, clock=clock)
    assert [buckets.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("a") == 0.5  # one token at 2 a second
    clock.now += 0.5
    assert buckets.take("a") == 0.0
    assert buckets.take("a") > 0


def test_keys_do_not_share_a_bucket() -> None:
    buckets = TokenBuckets(rate=1.0, burst=1, clock=Clock())
    assert buckets.take("a") == 0.0
    assert buckets.take("a") > 0
    assert buckets.take("b") == 0.0


def test_the_refill_stops_at_the_burst() -> None:
    clock = Clock()
    buckets = TokenBuckets(rate=10.0, burst=2, clock=clock)
    buckets.take("a")
    clock.now += 3600
    assert [buckets.take("a") > 0 for _ in range(3)] == [False, False, True]


def test_memory_stays_bounded_under_many_keys() -> None:
    buckets = TokenBuckets(rate=1.0, burst=1, clock=Clock(), max_keys=100)
    for i in range(1000):
        buckets.take(f"10.0.{i // 256}.{i % 256}")
    assert len(buckets._buckets) <= 100
