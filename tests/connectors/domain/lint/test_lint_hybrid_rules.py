"""Rules on x-ms-notification: a fetch (polling) trigger naming the webhook operation that
notifies it; where the link may appear, what it must name, and that shared parameters agree."""

from __future__ import annotations

from typing import Any

from tests.connectors.domain.lint.lint_builders import (
    DELETE,
    ITEMS,
    REGISTER,
    edit,
    fires,
    polling,
    quiet,
    table_tests,
    webhook,
)


def linked(target: str = "OnOrderCreated", **param: Any) -> dict[str, Any]:
    """A polling trigger (fetch) that names the webhook (subscribe) via x-ms-notification."""
    doc = edit(polling(), (ITEMS + "/x-ms-notification", {"operationId": target}))
    hooks = webhook()
    doc["paths"].update(hooks["paths"])
    if param:
        doc["paths"]["/hooks"]["post"]["parameters"].append(
            dict({"name": "since", "in": "query"}, **param)
        )
    return doc


FIRES = [
    fires(
        "NotificationExtensionSupportedForTriggerOnly",
        "action",
        edit(webhook(), (DELETE + "/x-ms-notification", {"operationId": "OnOrderCreated"})),
        DELETE + "/x-ms-notification",
    ),
    fires(
        "NotificationExtensionNotSupportedInWebhookOperation",
        "webhook",
        edit(webhook(), (REGISTER + "/x-ms-notification", {"operationId": "OnOrderCreated"})),
        REGISTER + "/x-ms-notification",
    ),
    fires(
        "OperationIdNotFound", "unknown", linked("Nope"), ITEMS + "/x-ms-notification/operationId"
    ),
    fires(
        "OperationIdNotFound",
        "not-an-object",
        edit(polling(), (ITEMS + "/x-ms-notification", "OnOrderCreated")),
        ITEMS + "/x-ms-notification/operationId",
    ),
    fires(
        "NotificationOperationMustBeWebhook",
        "delete",
        linked("DeleteHook"),
        ITEMS + "/x-ms-notification/operationId",
    ),
    fires(
        "ParamtersWithSameNameMustHaveSameTypeAndVisibility",
        "type",
        linked(type="string", **{"x-ms-visibility": "internal"}),
        ITEMS + "/parameters/0",
    ),
    fires(
        "ParamtersWithSameNameMustHaveSameTypeAndVisibility",
        "visibility",
        linked(type="integer"),
        ITEMS + "/parameters/0",
    ),
]

QUIET = [
    quiet("NotificationExtensionSupportedForTriggerOnly", "trigger", linked()),
    quiet("NotificationExtensionNotSupportedInWebhookOperation", "fetch", linked()),
    quiet("OperationIdNotFound", "found", linked()),
    quiet("NotificationOperationMustBeWebhook", "webhook", linked()),
    quiet(
        "ParamtersWithSameNameMustHaveSameTypeAndVisibility",
        "same",
        linked(type="integer", **{"x-ms-visibility": "internal"}),
    ),
    quiet("ParamtersWithSameNameMustHaveSameTypeAndVisibility", "unlinked", polling()),
]


test_rule_fires, test_rule_stays_quiet = table_tests(FIRES, QUIET)
