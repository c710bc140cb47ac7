from zhixing.cases.tests.conftest import filed, submit, world  # noqa: F401
