"""Unit tests of the submission queue."""

from app.stream.queue import QueuedRun, SubmissionQueue


def test_queue_add_find_remove_clear():
    queue = SubmissionQueue()
    queue.add(QueuedRun(client_id="c1", input={"messages": ["a"]}, run_id="r1"))
    queue.add(QueuedRun(client_id="c2", input=None))
    assert len(queue) == 2
    assert queue.find("r1").client_id == "c1"
    assert queue.remove("c2").client_id == "c2"
    assert [e.run_id for e in queue] == ["r1"]
    assert queue.to_json()[0]["input"] == {"messages": ["a"]}
    assert len(queue.clear()) == 1 and len(queue) == 0
