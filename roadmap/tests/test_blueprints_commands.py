"""Roadmap management commands besides the importer: load_series."""

import pytest
from django.core.management import call_command

from roadmap.models import Series

pytestmark = pytest.mark.django_db


def test_load_series_command_restores_a_deleted_series(capsys):
    Series.objects.filter(name="Juno").delete()

    call_command("load_series")

    assert Series.objects.get(name="Juno").milestones.count() == 5
    assert "series" in capsys.readouterr().out
