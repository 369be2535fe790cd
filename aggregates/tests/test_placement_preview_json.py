"""The preview API's hand-made JSON says exactly what the plain payload says, for every host."""

import dataclasses
import json

import pytest

from aggregates import preview
from aggregates.api import preview_json
from aggregates.preview.loader import CloudInputs
from aggregates.scheduling.bench import synthetic_cloud


def outcome_for(cloud, **query):
    flavor = dataclasses.replace(cloud.request.flavor, name="m1.médium")  # non-ASCII on purpose
    inputs = CloudInputs(
        hosts=cloud.hosts,
        aggregates=cloud.aggregates,
        flavors={flavor.id: flavor},
        config=cloud.config,
    )
    request = preview.PreviewQuery(flavor=flavor.id, **query)
    return preview.run_preview(None, request, inputs=inputs)


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"availability_zone": "az-2", "project_id": "demo"},
        {"changes": [{"action": "disable_host", "host": "compute-00007"}]},
    ],
    ids=["any-zone", "one-zone", "what-if"],
)
def test_outcome_json_equals_the_payload(query):
    outcome = outcome_for(synthetic_cloud(400, seed=7), **query)

    decoded = json.loads(preview_json.outcome_json(outcome))

    assert decoded == preview_json.outcome_payload(outcome)
    verdicts = {(row["passed"], row["failed_filter"]) for row in decoded["hosts"]}
    assert len(verdicts) > 2  # a mix of passes and different rejections was encoded
