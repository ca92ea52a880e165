import asyncio

from backend.clock import ManualClock
from backend.events import EventBus


async def test_slow_subscriber_is_dropped_not_buffered_forever() -> None:
    bus = EventBus(ManualClock(), queue_size=4)
    bus.bind(asyncio.get_running_loop())
    dropped: list[str] = []
    slow = bus.subscribe(on_overflow=lambda: dropped.append("slow"))
    fast = bus.subscribe()
    for _ in range(4):
        bus.publish("state.changed", {"paused": True})
        fast.queue.get_nowait()
    assert dropped == []
    bus.publish("state.changed", {"paused": False})
    assert dropped == ["slow"]
    assert slow.overflowed
    assert bus.subscriber_count == 1
    assert fast.queue.get_nowait()["data"] == {"paused": False}


async def test_publish_from_another_thread_is_delivered_on_the_loop() -> None:
    bus = EventBus(ManualClock())
    bus.bind(asyncio.get_running_loop())
    sub = bus.subscribe()
    await asyncio.to_thread(bus.publish, "usage.recorded", {"tokens": 3})
    event = await asyncio.wait_for(sub.queue.get(), 5)
    assert event["type"] == "usage.recorded"
    assert event["data"] == {"tokens": 3}


def test_unknown_event_type_is_refused() -> None:
    bus = EventBus(ManualClock())
    try:
        bus.publish("everything.deleted")
    except ValueError as error:
        assert "unknown event type" in str(error)
    else:
        raise AssertionError("publish accepted an unknown event type")
