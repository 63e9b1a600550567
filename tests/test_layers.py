"""The layers' import contracts (pyproject.toml, docs/architecture.md) catch an upward import."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["lms", "courses", "certificates", "home"]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
# Outside the layers: what puts the platform together.
COMPOSITION_ROOT = {"lms.settings", "lms.urls", "lms.celery", "lms.asgi", "lms.wsgi"}


def _contracts() -> list[dict]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["tool"]["importlinter"]["contracts"]


def _layered_modules() -> set[str]:
    layers = next(c for c in _contracts() if c["id"] == "layers")["layers"]
    return {
        name.strip()
        for layer in layers
        for name in layer.replace("|", ":").split(":")
        if name.strip()
    }


@pytest.fixture
def copy_of_the_code(tmp_path):
    """The Python files of the platform and its pyproject.toml, nothing else."""
    for package in PACKAGES:
        for source in (ROOT / package).rglob("*.py"):
            target = tmp_path / source.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    shutil.copyfile(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_code_as_it_is_keeps_every_contract(copy_of_the_code):
    result = _lint_imports(copy_of_the_code)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_ground_module_importing_the_roof_fails_the_layers_contract(copy_of_the_code):
    selectors = copy_of_the_code / "lms" / "people" / "selectors.py"
    selectors.write_text(selectors.read_text() + "\nimport lms.reports  # noqa\n")

    result = _lint_imports(copy_of_the_code)

    assert result.returncode != 0
    assert "Layers: roof > domain > ground BROKEN" in result.stdout
    assert "lms.people.selectors -> lms.reports" in result.stdout


def test_a_domain_module_importing_the_roof_fails_the_layers_contract(copy_of_the_code):
    services = copy_of_the_code / "certificates" / "services.py"
    services.write_text(services.read_text() + "\nimport lms.privacy.erasure  # noqa\n")

    result = _lint_imports(copy_of_the_code)

    assert result.returncode != 0
    assert "Layers: roof > domain > ground BROKEN" in result.stdout
    assert "certificates.services -> lms.privacy.erasure" in result.stdout


def test_every_module_of_lms_has_a_layer_or_is_the_composition_root():
    """A new shared module or app in lms/ must be placed, or the contracts do not see it."""
    modules = {
        f"lms.{path.stem if path.suffix == '.py' else path.name}"
        for path in (ROOT / "lms").iterdir()
        if (path.suffix == ".py" and path.name != "__init__.py")
        or (path.is_dir() and (path / "__init__.py").exists())
    }

    unplaced = modules - _layered_modules() - COMPOSITION_ROOT

    assert not unplaced, f"Add to [tool.importlinter] in pyproject.toml: {sorted(unplaced)}"
