"""What the rules share about one document: operations, trigger kinds, DELETE matches, policies.

Purpose: compute each reading of the swagger once (lazily) so that the rules stay small and the
linter stays fast on a 1 MB, 219-operation file.
Input: the swagger, optional apiProperties and optional design (all tolerated as any value).
Output: a ``Context`` whose cached properties the rules read (``operations``, ``kind``,
``callbacks``, ``delete_match``, ``state_parameters``, ``policies``, ``design_trigger``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from connectors.domain.lint.refs import Scan, join, scan
from connectors.domain.lint.walker import CallbackSite, Operation, callback_sites, operations, text
from connectors.domain.refs import Resolver
from connectors.domain.swagger.importing.delete_matching import DeleteCandidates

PROPERTIES_PREFIX = "apiProperties:"


@dataclass(frozen=True)
class DeleteMatch:
    operation: Operation
    how: str  # "design", or a category of swagger.importing.delete_matching.RANKS


@dataclass(frozen=True)
class PollingPolicy:
    """A ``pollingtrigger`` policy instance of apiProperties."""

    pointer: str
    operation_ids: tuple[str, ...]
    config: dict[str, Any]


class Context:
    def __init__(self, swagger: Any, properties: Any = None, design: Any = None) -> None:
        self.swagger: dict[str, Any] = swagger if isinstance(swagger, dict) else {}
        self.properties: dict[str, Any] = properties if isinstance(properties, dict) else {}
        self.design: dict[str, Any] = design if isinstance(design, dict) else {}
        self.resolver = Resolver(self.swagger)
        # Rule modules cache what several of their rules derive (e.g. the kind of every $ref).
        self.memo: dict[str, Any] = {}
        self._delete_matches: dict[str, DeleteMatch | None] = {}

    @cached_property
    def scan(self) -> Scan:
        return scan(self.swagger)

    @cached_property
    def operations(self) -> list[Operation]:
        return operations(self.swagger, self.resolver)

    @cached_property
    def by_pointer(self) -> dict[str, Operation]:
        return {op.pointer: op for op in self.operations}

    @cached_property
    def by_operation_id(self) -> dict[str, Operation]:
        found: dict[str, Operation] = {}
        for op in self.operations:
            if op.operation_id is not None:
                found.setdefault(op.operation_id, op)
        return found

    @cached_property
    def callbacks(self) -> dict[str, list[CallbackSite]]:
        if not self.scan.flags:  # most documents: no walk needed at all
            return {}
        return {op.pointer: callback_sites(self.resolver, op) for op in self.operations}

    def callbacks_of(self, op: Operation) -> list[CallbackSite]:
        return self.callbacks.get(op.pointer, [])

    def kind(self, op: Operation) -> str:
        """ "webhook" | "polling" (triggers), "webhook-action" | "action" (the rest)."""
        index = self.design_trigger(op)
        if index is not None:
            design_kind = self.design["triggers"][index].get("kind")
            if design_kind in ("webhook", "polling"):
                return str(design_kind)
        pushes = bool(self.callbacks_of(op)) or op.notification_content() is not None
        if op.is_trigger:
            return "webhook" if pushes else "polling"
        return "webhook-action" if self.callbacks_of(op) else "action"

    @cached_property
    def triggers(self) -> list[Operation]:
        return [op for op in self.operations if op.is_trigger]

    @cached_property
    def design_triggers(self) -> dict[tuple[str, str], int]:
        """(path, method) of each design trigger's request -> its index in design["triggers"]."""
        triggers = self.design.get("triggers")
        found: dict[tuple[str, str], int] = {}
        for index, trigger in enumerate(triggers if isinstance(triggers, list) else []):
            request = trigger.get("request") if isinstance(trigger, dict) else None
            path = request.get("path") if isinstance(request, dict) else None
            method = request.get("method") if isinstance(request, dict) else None
            if isinstance(path, str) and isinstance(method, str):
                found.setdefault((path, method.lower()), index)
        return found

    def design_trigger(self, op: Operation) -> int | None:
        return self.design_triggers.get((op.path, op.method))

    def design_delete_path(self, op: Operation) -> str | None:
        index = self.design_trigger(op)
        if index is None:
            return None
        action = self.design["triggers"][index].get("deleteAction")
        return text(action.get("path")) if isinstance(action, dict) else None

    @cached_property
    def deletes(self) -> list[Operation]:
        return sorted((op for op in self.operations if op.method == "delete"), key=lambda o: o.path)

    def delete_match(self, op: Operation) -> DeleteMatch | None:
        """The DELETE operation that unregisters webhook trigger ``op``: the design's choice when
        it names one that exists, else the best-ranked shape match (as tools/trigger_facts.py).
        Computed once per trigger: ranking compares the trigger with every DELETE."""
        if op.pointer not in self._delete_matches:
            self._delete_matches[op.pointer] = self._find_delete(op)
        return self._delete_matches[op.pointer]

    def _find_delete(self, op: Operation) -> DeleteMatch | None:
        chosen = self.design_delete_path(op)
        for candidate in self.deletes:
            if candidate.path == chosen:
                return DeleteMatch(candidate, "design")
        # The importer's ranking (child, same path, descendant, sibling, ...), so the linter and
        # the importer always agree on which DELETE unregisters a trigger.
        match = self._ranked_deletes.best(op.path)
        return DeleteMatch(self._deletes_by_path[match.path], match.category) if match else None

    @cached_property
    def _ranked_deletes(self) -> DeleteCandidates:
        return DeleteCandidates((c.path, c.node) for c in self.deletes)

    @cached_property
    def _deletes_by_path(self) -> dict[str, Any]:
        return {candidate.path: candidate for candidate in self.deletes}

    @cached_property
    def policies(self) -> list[PollingPolicy]:
        props = self.properties.get("properties")
        raw = props.get("policyTemplateInstances") if isinstance(props, dict) else None
        found = []
        for index, item in enumerate(raw if isinstance(raw, list) else []):
            if not isinstance(item, dict) or item.get("templateId") != "pollingtrigger":
                continue
            raw_params = item.get("parameters")
            params: dict[str, Any] = raw_params if isinstance(raw_params, dict) else {}
            names = params.get("x-ms-apimTemplate-operationName")
            names = names if isinstance(names, list) else [names]
            config = params.get("x-ms-apimTemplateParameter.triggerConfig")
            pointer = PROPERTIES_PREFIX + join("/properties/policyTemplateInstances", index)
            found.append(
                PollingPolicy(
                    pointer,
                    tuple(n for n in names if isinstance(n, str)),
                    config if isinstance(config, dict) else {},
                )
            )
        return found

    def policies_of(self, op: Operation) -> list[PollingPolicy]:
        return [p for p in self.policies if op.operation_id in p.operation_ids]

    def state_parameters(self, op: Operation) -> dict[str, str]:
        """Names of the parameters carrying polling state -> where that is declared
        ("trigger-value", "policy" or "design")."""
        names: dict[str, str] = {}
        for param in op.params:
            if "x-ms-trigger-value" in param.node and isinstance(param.name, str):
                names[param.name] = "trigger-value"
        for policy in self.policies_of(op):
            for key in policy.config:
                # x-ms-triggerConfig-nextLink is a setting of the policy, not a parameter.
                if isinstance(key, str) and not key.startswith("x-ms-"):
                    names.setdefault(key, "policy")
        index = self.design_trigger(op)
        polling = self.design["triggers"][index].get("polling") if index is not None else None
        state = polling.get("stateParameter") if isinstance(polling, dict) else None
        if isinstance(state, str) and state:
            names.setdefault(state, "design")
        return names
