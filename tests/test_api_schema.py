"""schemathesis against the OpenAPI document: no server errors, responses match the schema.

Each operation gets a short hypothesis run (25 generated requests), so the suite stays fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from newsdesk.settings import load_settings
from newsdesk.store import open_store
from newsdesk.web.api.openapi import DOCUMENT
from newsdesk.web.app import create_app
from site_data import seed_site

OPERATIONS = [f"GET {path}" for path in DOCUMENT["paths"]]


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('api')) / 'api.db'}"
    seed_site(url)
    # The app gets its store from us, so the lifespan schemathesis runs per call keeps it open.
    store = open_store(url)
    app = create_app(load_settings(environ={}, database_url=url), store, refresh=False)
    yield schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    store.close()


@pytest.mark.parametrize("label", OPERATIONS)
def test_api_conforms_to_its_schema(api_schema: Any, label: str) -> None:
    operations = {op.ok().label: op.ok() for op in api_schema.get_all_operations()}
    assert set(operations) == set(OPERATIONS)

    @given(case=operations[label].as_strategy())
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case: Any) -> None:
        # A random string is never a cursor this API gave out, so a schema-valid request can be
        # a 400; every other check (server errors, status codes, response schemas) applies.
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    check()
