"""Deputy with the scripted model (the agent suite's fixtures), and helpers for check-in tests."""

from tests.integration.agent.conftest import agent, model  # noqa: F401  (fixtures)
