from django.db import migrations

from common.append_only import AppendOnlyTriggers


class Migration(migrations.Migration):
    """Database triggers keep the scan log append-only (PostgreSQL and SQLite): UPDATE and
    DELETE are refused, except `staff` set to NULL when its user account is deleted."""

    dependencies = [("badges", "0006_checkpoint_is_active")]

    operations = [AppendOnlyTriggers(model_name="Scan", nullable=["staff"])]
