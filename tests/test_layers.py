"""Layers point one way (docs/architecture.md).

From the bottom: the project's small utilities; the platform apps
(reminders, couples, accounts, safety); the product apps (exercises, then
checkins); care; and at the top the trustwork app itself, which puts them
together. An app imports only from below it, at the top of its modules:
no function-level import hides a dependency, and no two modules import each
other, however indirectly.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("trustwork", "checkins", "exercises")

UTILITIES = {"env", "privacy", "mail", "ratelimits", "rhythm", "time_zones", "caching", "redis_cache"}
# What each layer may import, besides itself.
ALLOWED = {
    "utilities": set(),
    "reminders": {"utilities"},
    "couples": {"utilities", "reminders"},
    "accounts": {"utilities", "reminders", "couples"},
    "safety": {"utilities"},
    "exercises": {"utilities", "reminders", "couples", "accounts"},
    "checkins": {"utilities", "reminders", "couples", "accounts", "exercises"},
    "care": {"utilities", "reminders", "couples", "accounts", "safety", "exercises", "checkins"},
    "top": {"utilities", "reminders", "couples", "accounts", "safety", "exercises", "checkins", "care"},
}


def layer_of(module: str) -> str:
    parts = module.split(".")
    if parts[0] == "trustwork":
        if len(parts) == 1 or parts[1] not in ALLOWED and parts[1] not in UTILITIES:
            return "top"
        return "utilities" if parts[1] in UTILITIES else parts[1]
    if parts[:2] == ["checkins", "reminders"]:
        return "reminders"
    return parts[0]


def _modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            yield name.removesuffix(".__init__"), path


def _ours(name: str | None) -> bool:
    return bool(name) and name.split(".")[0] in PACKAGES


def _imports(tree, modules):
    """(imported module, at module level?, node) for each import of our code;
    `from checkins import demo` imports the module checkins.demo."""
    top_level = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and _ours(node.module):
            for alias in node.names:
                named = f"{node.module}.{alias.name}"
                yield (named if named in modules else node.module), id(node) in top_level, node
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if _ours(alias.name):
                    yield alias.name, id(node) in top_level, node


MODULES = dict(_modules())
GRAPH = {}
PROBLEMS = []
for _name, _path in MODULES.items():
    GRAPH[_name] = set()
    for imported, at_top, node in _imports(ast.parse(_path.read_text()), MODULES):
        if imported in MODULES:
            GRAPH[_name].add(imported)
        here, there = layer_of(_name), layer_of(imported)
        if there != here and there not in ALLOWED[here]:
            PROBLEMS.append(f"{_name} ({here}) imports {imported} ({there})")
        # An app's apps.py is imported before its models can be: Django wants those imports late.
        if not at_top and not _name.endswith(".apps"):
            PROBLEMS.append(f"{_name} imports {imported} inside a function (line {node.lineno})")


def test_it_knows_every_layer():
    assert {layer_of(name) for name in MODULES} <= set(ALLOWED)
    assert layer_of("trustwork.care.models") == "care"
    assert layer_of("trustwork.rhythm") == "utilities"
    assert layer_of("trustwork.views") == "top"
    assert layer_of("checkins.views") == "checkins"


def test_no_app_imports_one_above_it_or_inside_a_function():
    assert PROBLEMS == []


def _cycle_through(start):
    """A chain of imports from `start` back to itself, if there is one."""
    stack = [(start, [start])]
    seen = set()
    while stack:
        name, path = stack.pop()
        for following in GRAPH.get(name, ()):
            if following == start:
                return [*path, start]
            if following not in seen:
                seen.add(following)
                stack.append((following, [*path, following]))
    return None


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_itself_through_others(module):
    assert _cycle_through(module) is None
