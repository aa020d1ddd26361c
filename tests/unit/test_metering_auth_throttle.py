from conftest import load_engine

throttle_module = load_engine("site_metering", "auth_throttle")


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_source_waits_after_the_limit_then_is_heard_again():
    clock = Clock()
    throttle = throttle_module.FailureThrottle(limit=3, window=60, clock=clock)
    for _attempt in range(2):
        throttle.failed("10.0.0.9")
        clock.now += 1
    assert throttle.retry_after("10.0.0.9") == 0
    throttle.failed("10.0.0.9")
    assert throttle.retry_after("10.0.0.9") == 58  # the first refusal, 2 s ago, expires in 58
    assert throttle.retry_after("10.0.0.10") == 0  # other sources are not affected
    clock.now += 58
    assert throttle.retry_after("10.0.0.9") == 0
    throttle.reset()
    assert throttle.retry_after("10.0.0.9") == 0


def test_memory_is_bounded():
    clock = Clock()
    throttle = throttle_module.FailureThrottle(limit=2, window=60, clock=clock, max_sources=4)
    for index in range(10):
        throttle.failed(f"10.0.0.{index}")
        clock.now += 1
    assert len(throttle._failures) <= 4
    assert "10.0.0.9" in throttle._failures
