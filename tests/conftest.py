"""Fixtures shared by the test files: the committed datasets, loaded as students load them.

Module-scoped, so every test file gets its own copies (a test that changes a frame cannot affect another file).
A test file that needs a dataset built elsewhere (e.g. test_generators.py) defines its own fixture of that name.
"""

from __future__ import annotations

import pandas as pd
import pytest

from smmkit import datasets


@pytest.fixture(scope="module")
def posts() -> pd.DataFrame:
    """Post history."""
    return datasets.load("posts")


@pytest.fixture(scope="module")
def accounts() -> pd.DataFrame:
    """The brand accounts."""
    return datasets.load("accounts")


@pytest.fixture(scope="module")
def activity() -> pd.DataFrame:
    """Audience activity by weekday and hour."""
    return datasets.load("audience_activity")


@pytest.fixture(scope="module")
def plan() -> pd.DataFrame:
    """The content plan."""
    return datasets.load("content_plan")


@pytest.fixture(scope="module")
def audience() -> pd.DataFrame:
    """The audience (subscribers and customers)."""
    return datasets.load("audience")


@pytest.fixture(scope="module")
def ads() -> pd.DataFrame:
    """Daily ad statistics."""
    return datasets.load("ads_daily")


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    """CRM orders."""
    return datasets.load("crm_orders")


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server on loopback for the session (tests/postgres_server.py); fails without one,
    unless SMMKIT_NO_POSTGRES=1 (then the tests that need it are skipped)."""
    import os

    import postgres_server

    why = postgres_server.missing()
    if why:
        if os.environ.get(postgres_server.SKIP_ENV) == "1":
            pytest.skip(f"{postgres_server.SKIP_ENV}=1: {why}")
        pytest.fail(why, pytrace=False)
    server = postgres_server.Server()
    try:
        server.start()
    except Exception:
        server.stop()
        raise
    try:
        yield server
    finally:
        server.stop()
