"""No import circle anywhere in the project (import-linter holds the layers; this holds the rest).

A circle is a set of modules that reach each other through imports, function-level imports
included (grimp reads them all). Found as the strongly connected components of the import graph.
"""

from __future__ import annotations

import grimp


def circles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The import circles of ``graph``: each a sorted list of modules that reach each other."""
    reach: dict[str, set[str]] = {}
    modules = sorted(graph.modules)
    for module in modules:
        seen: set[str] = set()
        todo = [module]
        while todo:
            current = todo.pop()
            for imported in graph.find_modules_directly_imported_by(current):
                if imported in graph.modules and imported not in seen:
                    seen.add(imported)
                    todo.append(imported)
        reach[module] = seen
    found: list[list[str]] = []
    placed: set[str] = set()
    for module in modules:
        if module in placed or module not in reach[module]:
            continue
        circle = sorted(other for other in reach[module] if module in reach[other])
        placed.update(circle)
        found.append(circle)
    return found


def test_the_project_has_no_import_circle() -> None:
    graph = grimp.build_graph("connectors", "designer")
    assert circles(graph) == []


def test_a_circle_is_found_through_a_function_level_import_too() -> None:
    graph = grimp.ImportGraph()
    for module in ("app.a", "app.b", "app.c", "app.d"):
        graph.add_module(module)
    graph.add_import(importer="app.a", imported="app.b")
    graph.add_import(importer="app.b", imported="app.c")
    graph.add_import(importer="app.c", imported="app.a")
    graph.add_import(importer="app.d", imported="app.a")
    assert circles(graph) == [["app.a", "app.b", "app.c"]]
