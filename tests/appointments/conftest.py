from tests.visits.conftest import immediate_tasks  # noqa: F401 (a fixture, shared)
