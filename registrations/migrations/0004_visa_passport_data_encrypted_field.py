import common.crypto
from django.db import migrations


class Migration(migrations.Migration):
    """Passport data becomes an EncryptedJSONField named `passport_data`.

    The column (`passport_data_encrypted`) and the ciphertext stay as they are: the old code
    stored Fernet(JSON text, UTF-8) with the same keys, which is what the field reads.
    """

    dependencies = [
        ("registrations", "0003_payments_vouchers_waitlist_visa"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameField(
                    model_name="visaletterrequest",
                    old_name="passport_data_encrypted",
                    new_name="passport_data",
                ),
                migrations.AlterField(
                    model_name="visaletterrequest",
                    name="passport_data",
                    field=common.crypto.EncryptedJSONField(
                        blank=True,
                        db_column="passport_data_encrypted",
                        default=dict,
                        verbose_name="passport data",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
