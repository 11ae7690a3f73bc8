"""What the trigger page's Batches section does to a trigger.

Purpose: write the batch size, the external id and (polling) the page-size parameter into a
design trigger so that the design stays what its export says: the page-size parameter defaults
to the batch size, a webhook with a batch size fires with a list (``cardinality: batch``, its
notification schema an array of the items), and
an empty field takes its key away (a design without batches has none of these keys, so import
of the export gives back the same design).

Input: a design trigger and the section's cleaned values. Output: the trigger, changed in place.
"""

from __future__ import annotations

from typing import Any


def set_batches(
    trigger: dict[str, Any], *, size: int | None, pointer: str | None, parameter: str | None
) -> None:
    for key, value in (("batchSize", size), ("externalId", pointer)):
        if value:
            trigger[key] = value
        else:
            trigger.pop(key, None)
    polling = trigger.get("polling")
    if isinstance(polling, dict):
        if size and parameter:
            polling["pageSizeParameter"] = parameter
            for item in trigger["request"]["parameters"]:
                if item.get("name") == parameter and item.get("in") == "query":
                    item["default"] = size
        else:
            polling.pop("pageSizeParameter", None)
    if trigger.get("kind") == "webhook" and size:
        trigger["cardinality"] = "batch"  # notifications come as arrays of at most ``size``
        notification = trigger.get("notification") or {}
        schema = notification.get("schema")
        if isinstance(schema, dict) and schema.get("type") == "object":
            notification["schema"] = {"type": "array", "items": schema}
