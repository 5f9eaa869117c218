from django.db import migrations

from common.append_only import AppendOnlyTriggers


class Migration(migrations.Migration):
    """Database triggers keep the audit trail append-only (PostgreSQL and SQLite): UPDATE
    and DELETE are refused, except `actor` set to NULL when its user account is deleted."""

    dependencies = [("congress", "0003_move_cfp_models_to_cfp")]

    operations = [AppendOnlyTriggers(model_name="AuditEvent", nullable=["actor"])]
