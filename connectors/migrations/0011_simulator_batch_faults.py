# The simulator's batch fault modes: repeats_items and ignores_batch_size.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("connectors", "0009_report_inputs"),
    ]

    operations = [
        migrations.AlterField(
            model_name="simulatorsession",
            name="fault",
            field=models.CharField(
                choices=[
                    ("none", "No fault: a correct publisher"),
                    ("no_location", "Registration answers without Location"),
                    ("relative_location", "Registration answers a relative Location"),
                    ("status_200", "Registration answers 200 instead of 201"),
                    ("bad_payload", "Notifications break the schema"),
                    ("delete_needs_header", "DELETE needs a header the connection lacks"),
                    ("delivers_after_delete", "The hook keeps delivering after DELETE"),
                    ("keeps_old_hook", "An old hook survives its DELETE after re-registering"),
                    ("oldest_first", "Polling items come oldest first"),
                    ("state_stuck", "The polling state does not advance"),
                    ("repeats_items", "Items already delivered come again"),
                    ("ignores_batch_size", "More items than the batch size in one run"),
                    ("slow", "Answers slower than the runner waits"),
                ],
                default="none",
                max_length=30,
            ),
        ),
    ]
