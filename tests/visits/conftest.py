import pytest
from django.tasks import task_backends
from django.tasks.backends.immediate import ImmediateBackend


@pytest.fixture
def immediate_tasks():
    """Run queued tasks at once, whatever TASKS the environment picked."""
    previous = task_backends["default"]
    task_backends["default"] = ImmediateBackend(alias="default", params={})
    yield
    task_backends["default"] = previous
