"""Reminders are the bottom layer beside accounts: they import none of our
apps, only the project's small utilities, and the apps above call them."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "trustwork" / "reminders"
OUR_APPS = ("trustwork.accounts", "trustwork.couples", "trustwork.care", "trustwork.safety", "checkins", "exercises")
UTILITIES = {"trustwork.rhythm", "trustwork.time_zones", "trustwork.mail", "trustwork.env", "trustwork.ratelimits"}


def imports_of(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):  # inside functions too
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


MODULES = sorted(path for path in PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_it_imports_none_of_our_apps(path):
    ours = {name for name in imports_of(path) if name.split(".")[0] in ("trustwork", "checkins", "exercises")}
    for name in ours:
        assert not name.startswith(OUR_APPS), f"{path.name} imports {name}"
        assert (
            name == "trustwork"
            or name.startswith("trustwork.reminders")
            or name in UTILITIES
            or any(name.startswith(f"{utility}.") for utility in UTILITIES)
        ), f"{path.name} imports {name}"


def test_its_services_never_enqueue_tasks_themselves():
    assert not {name for name in imports_of(PACKAGE / "services.py") if "tasks" in name}
