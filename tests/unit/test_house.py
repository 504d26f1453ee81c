"""The house's layout rules (shared STYLE.md) that no linter checks on its own.

import-linter (`make lint`) checks the imports between the layers; these tests check what it
cannot see: models named by their app label, imports done inside functions, type hints.
Each test reads the source (ast), imports nothing of the apps and needs no database.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: The layers, highest first (pyproject.toml's import-linter contract), with the app labels
#: of the models each one owns (Oscar's forks keep Oscar's labels).
LAYERS = (
    ("digitaix", ()),
    ("delivery", ("delivery",)),
    ("orders", ("order", "checkout")),
    ("shops", ("partner",)),
    ("catalog", ("catalogue", "search")),
    ("accounts", ()),
    ("messaging", ("messaging",)),
)


def _python_files(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("index", range(1, len(LAYERS)), ids=[name for name, _ in LAYERS[1:]])
def test_an_app_names_no_model_of_an_app_above_it(index):
    """`get_model("partner", ...)` in the catalogue is an import in all but name: the
    catalogue would depend on shops while import-linter sees nothing."""
    package = LAYERS[index][0]
    above = [label for _, labels in LAYERS[:index] for label in labels]
    label = "|".join(above)
    pattern = re.compile(rf"""get_model\(\s*["']({label})["']|["']({label})\.[A-Z]\w*["']""")
    found = [
        f"{_rel(path)}:{number}: {line.strip()}"
        for path in _python_files(package)
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert not found, "\n".join(found)
