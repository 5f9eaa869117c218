"""Copy each erasure request's congress id (a plain integer until now) into its real
foreign key to the congress.

Rows whose congress no longer exists are printed, and the migration stops without changing
anything: such a request cannot be routed to any data protection officer, and dropping it
or guessing its congress could lose or misroute a person's erasure request. Through the
product this cannot happen (the request's audit row protects its congress from deletion);
it can only come from rows written or congresses deleted by hand. Fix those rows by hand
(set congress_pk to the congress whose data protection officers should decide, or delete a
decided request whose history is kept in the audit log), then migrate again.

Reversible: going back copies the foreign key into the integer again.
"""

from django.db import migrations


def copy_congress_pk_to_congress(apps, schema_editor):
    ErasureRequest = apps.get_model("privacy", "ErasureRequest")
    Congress = apps.get_model("congress", "Congress")
    existing = set(Congress.objects.values_list("pk", flat=True))
    unmatched = []
    for erasure_request in ErasureRequest.objects.order_by("pk"):
        if erasure_request.congress_pk in existing:
            erasure_request.congress_id = erasure_request.congress_pk
            erasure_request.save(update_fields=["congress"])
        else:
            unmatched.append(erasure_request)
    if unmatched:
        for erasure_request in unmatched:
            print(
                f"Erasure request {erasure_request.pk} (person {erasure_request.person_id}, "
                f"{erasure_request.status}): congress {erasure_request.congress_pk} "
                "no longer exists."
            )
        raise RuntimeError(
            f"{len(unmatched)} erasure request(s) point at a congress that no longer exists "
            "(listed above). Set their congress_pk to an existing congress, or delete the "
            "decided ones, then migrate again."
        )


def copy_congress_to_congress_pk(apps, schema_editor):
    ErasureRequest = apps.get_model("privacy", "ErasureRequest")
    for erasure_request in ErasureRequest.objects.order_by("pk"):
        erasure_request.congress_pk = erasure_request.congress_id
        erasure_request.save(update_fields=["congress_pk"])


class Migration(migrations.Migration):

    dependencies = [
        ("congress", "0003_move_cfp_models_to_cfp"),
        ("privacy", "0002_add_erasurerequest_congress"),
    ]

    operations = [
        migrations.RunPython(copy_congress_pk_to_congress, copy_congress_to_congress_pk),
    ]
