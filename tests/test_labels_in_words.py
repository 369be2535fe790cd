"""Every page reads in words: no `---------` empty choices, no labels made of field names with
their unit suffixes (`Reserved host memory mb`), on every page of the permissions matrix."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_permissions_matrix import KWARGS, MATRIX, _entries, body_of, build_samples

# A unit suffix in lower case ("Memory mb"), or Nova's field name capitalised ("Vcpus").
FIELD_NAME_LABEL = re.compile(r"<label[^>]*>([^<]*\w (mb|gb|id|url)|\s*Vcpus)\s*<")
PAGES = sorted(
    name for name, entry in MATRIX.items() if ":" in name and "GET" in _entries(entry)[0].access
)


@pytest.mark.django_db
def test_no_page_offers_a_dashes_choice_or_a_field_name_label(
    admin_user, lead_user, board_user, member_user, superuser_user
):
    users = {"admin": admin_user, "lead": lead_user, "board": board_user}
    users |= {"member": member_user, "superuser": superuser_user}
    samples = build_samples(users)
    client = Client()
    client.force_login(superuser_user)
    offenders = []
    for name in PAGES:
        for entry in _entries(MATRIX[name]):
            response = client.get(reverse(name, kwargs=KWARGS[entry.kwargs](samples)))
            if "html" not in response.get("Content-Type", ""):
                continue
            body = body_of(response).decode()
            if "---------" in body:
                offenders.append(f"{name}: a '---------' choice")
            if match := FIELD_NAME_LABEL.search(body):
                offenders.append(f"{name}: label {match.group(0)!r}")
    assert offenders == [], "\n".join(offenders)
