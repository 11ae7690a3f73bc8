from __future__ import annotations

import copy

import pytest

from connectors.domain.design import (
    DESIGN_VERSION,
    DesignError,
    design_errors,
    migrate_design,
    new_design,
    validate_design,
)


def test_new_design_is_valid() -> None:
    design = new_design("Orders")
    assert validate_design(design) is design
    assert design["designVersion"] == DESIGN_VERSION
    assert design["general"]["title"] == "Orders"


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        (lambda d: d["general"].__setitem__("schemes", ["ftp"]), "/general/schemes/0"),
        (lambda d: d["general"].__setitem__("iconBrandColor", "red"), "/general/iconBrandColor"),
        (lambda d: d["security"].__setitem__("type", "kerberos"), "/security/type"),
        (lambda d: d.__setitem__("triggers", [{"kind": "webhook"}]), "/triggers/0"),
        (lambda d: d.pop("passthrough"), ""),
        (lambda d: d.__setitem__("surprise", 1), ""),
    ],
)
def test_design_errors_name_the_pointer(change, pointer) -> None:
    design = new_design("Orders")
    change(design)
    errors = design_errors(design)
    assert errors, "the change should make the design invalid"
    assert pointer in [p for p, _ in errors]
    with pytest.raises(DesignError) as caught:
        validate_design(design)
    assert caught.value.errors == errors


@pytest.mark.parametrize("version", [None, 0, "1", True, DESIGN_VERSION + 1])
def test_migrate_refuses_unknown_versions(version) -> None:
    design = new_design("Orders")
    design["designVersion"] = version
    with pytest.raises(DesignError) as caught:
        migrate_design(design)
    assert caught.value.errors[0][0] == "/designVersion"


def test_migrate_current_version_returns_an_equal_copy() -> None:
    design = new_design("Orders")
    before = copy.deepcopy(design)
    migrated = migrate_design(design)
    assert migrated == before
    migrated["general"]["title"] = "changed"
    assert design["general"]["title"] == "Orders"
