"""The plenary rule replaces the "plenaries count for everyone present at the entrance"
box: ticked becomes "entrance"; unticked becomes "room_doors", the default of new
congresses. Room doors did not exist before this migration, so an unticked congress keeps
its figures (its plenaries still count nothing until it gets a room door).

Reversible: "entrance" ticks the box again, any other rule leaves it unticked."""

from django.db import migrations


def forwards(apps, schema_editor):
    closures = apps.get_model("attendance", "AttendanceClosure").objects
    closures.filter(plenaries_from_entrance=True).update(plenary_rule="entrance")
    closures.filter(plenaries_from_entrance=False).update(plenary_rule="room_doors")


def backwards(apps, schema_editor):
    closures = apps.get_model("attendance", "AttendanceClosure").objects
    closures.update(plenaries_from_entrance=False)
    closures.filter(plenary_rule="entrance").update(plenaries_from_entrance=True)


class Migration(migrations.Migration):

    dependencies = [
        ('attendance', '0009_checkpoints_plenary_rule'),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
