"""Nothing reaches a debtor except through the gate: only compliance.gate imports the channels."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "var", "node_modules", ".git", "__pycache__"}
ALLOWED = ("compliance/gate/", "compliance/channels/")


def _imports(tree: ast.AST, module: str) -> set[str]:
    found = set()
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative import: resolve against this module's package
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def _python_files():
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if not SKIP & set(rel.parts):
            yield rel


def test_only_the_gate_imports_the_delivery_channels():
    offenders = []
    for rel in _python_files():
        posix = rel.as_posix()
        if posix.startswith(ALLOWED) or posix == "tests/gate/test_only_door.py":
            continue
        module = posix[:-3].replace("/", ".")
        tree = ast.parse((ROOT / rel).read_text(encoding="utf-8"), filename=posix)
        if any(name == "compliance.channels" or name.startswith("compliance.channels.")
               for name in _imports(tree, module)):
            offenders.append(posix)
    assert not offenders, f"import compliance.channels only from compliance.gate: {offenders}"


def test_the_walk_sees_the_gate_importing_channels():
    """Guard against a test that passes because it parsed nothing."""
    tree = ast.parse((ROOT / "compliance/gate/delivery.py").read_text())
    assert "compliance.channels" in _imports(tree, "compliance.gate.delivery")
    assert len(list(_python_files())) > 50
