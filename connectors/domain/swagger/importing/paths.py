"""The ``paths`` of an imported swagger: triggers out, DELETE actions matched, the rest kept.

Purpose: walk every path item once; turn each ``x-ms-trigger`` operation into a design trigger
(``swagger.importing.operations``), give each webhook trigger the DELETE operation that best
matches its registration path (``swagger.importing.delete_matching``), and remove from the
passthrough copy exactly what the export adds back: the trigger operations, their path items'
notification content and the matched DELETE operations (path items left empty go too; path-level
``parameters`` and every other operation stay).

Input: the parsed swagger, its passthrough copy (changed in place), the apiProperties polling
policies and the notes list.
Output: ``PathsImport(...).run()`` gives the design triggers in document order.
"""

from __future__ import annotations

import copy
from typing import Any

from connectors.domain.design import HTTP_METHODS
from connectors.domain.documents import escape_pointer
from connectors.domain.refs import SwaggerImportError
from connectors.domain.swagger.importing.delete_matching import DeleteCandidates
from connectors.domain.swagger.importing.operations import (
    build_delete_action,
    build_trigger,
    has_callback,
    operation_label,
)
from connectors.domain.swagger.importing.polling import PolicyPool

Trigger = dict[str, Any]
_GUESSED = ("[sibling]", "[hook-named]", "[internal-only]")


def operation_pointer(path: str, method: str) -> str:
    return f"/paths/{escape_pointer(path)}/{method}"


class PathsImport:
    def __init__(
        self, doc: dict[str, Any], passthrough: dict[str, Any], pool: PolicyPool, notes: list[str]
    ) -> None:
        self.doc = doc
        self.paths: dict[str, Any] = doc["paths"]
        self.kept: dict[str, Any] = passthrough["paths"]
        self.pool = pool
        self.notes = notes

    def run(self) -> list[Trigger]:
        self._check_shapes()
        triggers = self._triggers()
        matched = self._match_deletes(triggers)
        self._note_actions(triggers, matched)
        self._strip(triggers, matched)
        return triggers

    def _check_shapes(self) -> None:
        for path, item in self.paths.items():
            if path.startswith("x-"):
                continue  # vendor extensions of the paths object may hold anything
            if not isinstance(item, dict):
                raise SwaggerImportError(
                    "a path item must be an object", pointer=f"/paths/{escape_pointer(path)}"
                )
            for method in HTTP_METHODS:
                if method in item and not isinstance(item[method], dict):
                    raise SwaggerImportError(
                        "an operation must be an object", pointer=operation_pointer(path, method)
                    )

    def _triggers(self) -> list[Trigger]:
        triggers = []
        for path, item in self.paths.items():
            if path.startswith("x-"):
                continue
            for method in [m for m in item if m in HTTP_METHODS and "x-ms-trigger" in item[m]]:
                label = operation_label(path, method, item[method])
                if not path.startswith("/"):
                    self.notes.append(
                        f"{label}: its path does not start with '/'; kept verbatim, not a trigger"
                    )
                    continue
                where = (path, method, operation_pointer(path, method))
                first_note = len(self.notes)
                trigger = build_trigger(self.doc, where, item, self.pool, self.notes)
                cardinality = trigger.get("cardinality", "no valid x-ms-trigger")
                kind = f"{trigger['kind']} trigger ({cardinality})"
                callback = trigger["request"]["callbackPointer"]
                self.notes.insert(
                    first_note,
                    f"{label}: imported as a {kind}"
                    + (f", callback URL at body {callback}" if callback else ""),
                )
                triggers.append(trigger)
        return triggers

    def _match_deletes(self, triggers: list[Trigger]) -> dict[str, list[str]]:
        """Matched DELETE path -> labels of the triggers it serves (each gets its own copy)."""
        candidates = [
            (path, self.paths[path]["delete"])
            for path in sorted(p for p in self.paths if not p.startswith("x-"))
            if "delete" in self.paths[path] and "x-ms-trigger" not in self.paths[path]["delete"]
        ]
        ranked = DeleteCandidates(candidates)
        actions: dict[str, dict[str, Any] | None] = {}
        matched: dict[str, list[str]] = {}
        for trigger in triggers:
            if trigger["kind"] != "webhook":
                continue
            label = _trigger_label(trigger)
            match = ranked.best(trigger["request"]["path"])
            if match is None:
                self.notes.append(
                    f"{label}: no DELETE operation matches; Power Automate cannot unsubscribe"
                )
                continue
            if match.path not in actions:
                operation = self.paths[match.path]["delete"]
                actions[match.path] = build_delete_action(
                    self.doc,
                    match.path,
                    operation,
                    operation_pointer(match.path, "delete"),
                    self.notes,
                )
            if actions[match.path] is not None:
                trigger["deleteAction"] = copy.deepcopy(actions[match.path])
                matched.setdefault(match.path, []).append(f"{label} [{match.category}]")
        self._note_matches(matched)
        return matched

    def _note_matches(self, matched: dict[str, list[str]]) -> None:
        for path, labels in matched.items():
            delete = operation_label(path, "delete", self.paths[path]["delete"])
            note = f"{delete} is the delete action of: {', '.join(labels)}"
            # Only a child, same or descendant path really looks like the registration's Location.
            if any(label.endswith(_GUESSED) for label in labels):
                note += " (matched by name or path shape only: a guess, check it)"
            self.notes.append(note)

    def _note_actions(self, triggers: list[Trigger], matched: dict[str, list[str]]) -> None:
        count, unmatched = 0, []
        for path, item in self.paths.items():
            if path.startswith("x-"):
                continue
            for method in [m for m in item if m in HTTP_METHODS and "x-ms-trigger" not in item[m]]:
                if method == "delete" and path in matched:
                    continue
                count += 1
                label = operation_label(path, method, item[method])
                if has_callback(self.doc, item, item[method], operation_pointer(path, method)):
                    self.notes.append(
                        f"{label} has x-ms-notification-url but no x-ms-trigger: a webhook action "
                        "(waits for a callback), kept as an action in passthrough"
                    )
                elif method == "delete" and any(t["kind"] == "webhook" for t in triggers):
                    unmatched.append(label)
        if unmatched:
            self.notes.append(
                "DELETE operations not matched to a trigger, kept as actions: "
                + ", ".join(unmatched)
            )
        self.notes.append(f"{count} operation(s) kept as actions in passthrough, verbatim")

    def _strip(self, triggers: list[Trigger], matched: dict[str, list[str]]) -> None:
        touched = set(matched)
        for trigger in triggers:
            path, method = trigger["request"]["path"], trigger["request"]["method"]
            item = self.kept[path]
            item.pop(method, None)
            if trigger["notification"] is not None:
                item.pop("x-ms-notification-content", None)
            touched.add(path)
        for path in matched:
            self.kept[path].pop("delete", None)
        for path in touched:
            if not self.kept[path]:
                del self.kept[path]


def _trigger_label(trigger: Trigger) -> str:
    return (
        trigger["operationId"]
        or f"{trigger['request']['method'].upper()} {trigger['request']['path']}"
    )
