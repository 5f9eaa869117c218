"""Re-encrypt every encrypted field of every model with the newest key.

Key rotation: put the new key first in FIELD_ENCRYPTION_KEYS (keep the old one after it),
run this command, then remove the old key. Idempotent; prints counts only, never values.
"""

import functools
import operator

from django.core.management.base import BaseCommand
from django.db.models import Q

from common.crypto import encrypted_fields, rotate_encrypted_values


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field (passport data, ...) with the first key of "
        "FIELD_ENCRYPTION_KEYS. Run after putting a new key first; then drop the old key."
    )

    def handle(self, *args, **options):
        total = 0
        for model, fields in encrypted_fields():
            # Rows whose encrypted fields are all empty hold no ciphertext to rotate.
            all_empty = functools.reduce(operator.and_, (Q(**{name: ""}) for name in fields))
            queryset = model._default_manager.exclude(all_empty)
            changed = rotate_encrypted_values(queryset=queryset, fields=fields)
            total += changed
            self.stdout.write(
                f"{model._meta.label}: {changed} rows re-encrypted ({', '.join(fields)})"
            )
        self.stdout.write(self.style.SUCCESS(f"{total} rows re-encrypted with the newest key"))
