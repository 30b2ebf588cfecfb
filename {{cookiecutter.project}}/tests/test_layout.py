"""The package's layout rule: a blueprint never imports another blueprint.

What two blueprints share lives at app level (pagination.py, audit.py, redirects.py,
templating.py ...), so each blueprint can change, or go, on its own.
"""

import ast
import importlib.util
import sys
from pathlib import Path


def blueprint_files(app):
    """{blueprint name: (its module's name, [(file, the package that file is in)])}."""
    found = {}
    for name, blueprint in app.blueprints.items():
        module = sys.modules[blueprint.import_name]
        path = Path(module.__file__)
        if path.name != "__init__.py":  # a one-module blueprint, such as health.py
            found[name] = (module.__name__, [(path, module.__package__)])
            continue
        files = []
        for file in sorted(path.parent.rglob("*.py")):
            folders = file.parent.relative_to(path.parent).parts
            files.append((file, ".".join([module.__name__, *folders])))
        found[name] = (module.__name__, files)
    return found


def imported_modules(path, package):
    """Every module the file at `path` (in `package`) imports, as absolute names."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = importlib.util.resolve_name("." * node.level + (node.module or ""), package)
            yield base
            # `from .. import board` imports the module ..board, not only a name in ..
            yield from (f"{base}.{alias.name}" for alias in node.names)


def test_no_blueprint_imports_another(app):
    blueprints = blueprint_files(app)
    assert {"board", "auth", "admin", "api", "health"} <= blueprints.keys()
    offences = []
    for name, (_, files) in blueprints.items():
        for path, package in files:
            for imported in imported_modules(path, package):
                for other, (other_module, _) in blueprints.items():
                    inside = imported == other_module or imported.startswith(other_module + ".")
                    if other != name and inside:
                        offences.append(f"{path.name} of {name} imports {imported}")
    assert offences == [], "shared pieces belong at app level, not in a blueprint"
