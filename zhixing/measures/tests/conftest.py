"""The case fixtures (world, submit) for the measures tests."""

from zhixing.cases.tests.conftest import submit, world  # noqa: F401 - fixtures
