# Merges the two 0004s: Placement provider generations (sync) and packed utilisation history.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('aggregates', '0004_host_placement_generation'),
        ('aggregates', '0004_pack_utilisation_samples'),
    ]

    operations = [
    ]
