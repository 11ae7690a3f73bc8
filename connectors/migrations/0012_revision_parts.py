"""Revisions keep their designs as content-addressed parts (``DesignPart``) instead of a full
copy each: see ``connectors.domain.design_parts`` and docs/notes.md.

Forward: every revision's design is cut into parts, stored once per draft, and the revision
keeps the digest of its root; then the ``design`` column goes. Backward: each revision's design
is put back together from its parts into the column again, and the parts go. Both read the
revisions draft by draft, a few at a time, so a large table does not have to fit in memory.
On PostgreSQL the draft's design column (rewritten by every save) is compressed with lz4.
"""

import json
import zlib

import django.db.models.deletion
from django.db import migrations, models

import connectors.fields

CHUNK = 50


def _parts_of_draft(DesignPart, draft_id):
    return set(DesignPart.objects.filter(draft_id=draft_id).values_list("digest", flat=True))


def revisions_to_parts(apps, schema_editor):
    from connectors.domain.design_parts import split

    Revision = apps.get_model("connectors", "Revision")
    DesignPart = apps.get_model("connectors", "DesignPart")
    draft_ids = Revision.objects.order_by().values_list("draft_id", flat=True).distinct()
    for draft_id in list(draft_ids):
        known = _parts_of_draft(DesignPart, draft_id)
        revisions = Revision.objects.filter(draft_id=draft_id).order_by("number")
        for revision in revisions.only("pk", "design").iterator(chunk_size=CHUNK):
            cut = split(revision.design)
            new = [
                DesignPart(
                    draft_id=draft_id, digest=name, data=zlib.compress(text.encode("utf-8"), 6)
                )
                for name, text in cut.parts.items()
                if name not in known
            ]
            DesignPart.objects.bulk_create(new, batch_size=500)
            known.update(part.digest for part in new)
            Revision.objects.filter(pk=revision.pk).update(root=cut.root)


def parts_to_revisions(apps, schema_editor):
    from connectors.domain.design_parts import assemble_text

    Revision = apps.get_model("connectors", "Revision")
    DesignPart = apps.get_model("connectors", "DesignPart")
    draft_ids = Revision.objects.order_by().values_list("draft_id", flat=True).distinct()
    for draft_id in list(draft_ids):
        rows = DesignPart.objects.filter(draft_id=draft_id).values_list("digest", "data")
        parts = {name: zlib.decompress(bytes(data)).decode("utf-8") for name, data in rows}
        revisions = Revision.objects.filter(draft_id=draft_id).order_by("number")
        for revision in revisions.only("pk", "root").iterator(chunk_size=CHUNK):
            design = json.loads(assemble_text(revision.root, parts))
            Revision.objects.filter(pk=revision.pk).update(design=design)


def _draft_design_compression(schema_editor, method):
    """PostgreSQL: compress the draft's design column with ``method`` (new values only). lz4
    compresses a large design several times faster than the default pglz, to about the same
    size; every save rewrites that column. Nothing to do elsewhere, or without lz4 support."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' "
            "AND %s = ANY(enumvals)",
            [method],
        )
        if cursor.fetchone() is None:
            return
        cursor.execute(
            "ALTER TABLE connectors_connectordraft ALTER COLUMN design SET COMPRESSION "
            + ("lz4" if method == "lz4" else "pglz")
        )


def design_lz4(apps, schema_editor):
    _draft_design_compression(schema_editor, "lz4")


def design_pglz(apps, schema_editor):
    _draft_design_compression(schema_editor, "pglz")


class Migration(migrations.Migration):
    dependencies = [
        ("connectors", "0011_simulator_batch_faults"),
    ]

    operations = [
        migrations.CreateModel(
            name="DesignPart",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("digest", models.CharField(max_length=64)),
                ("data", models.BinaryField()),
                (
                    "draft",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="connectors.connectordraft",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("draft", "digest"), name="design_part_unique_digest"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="revision",
            name="root",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="revision",
            name="design",
            field=connectors.fields.OrderedJSONField(null=True),
        ),
        migrations.RunPython(revisions_to_parts, parts_to_revisions, elidable=False),
        migrations.RemoveField(model_name="revision", name="design"),
        migrations.RunPython(design_lz4, design_pglz, elidable=False),
    ]
