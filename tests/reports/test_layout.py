"""The reports app's modules import each other without cycles (imports inside functions included), take
no other module's private names, and import nothing inside a function but WeasyPrint (loaded only where
a PDF is rendered) and what ``AppConfig.ready`` registers."""

import ast
from pathlib import Path

import reports

ROOT = Path(reports.__file__).resolve().parent
#: Demo and scale data, leaving for their own app: not product modules.
NOT_PRODUCT = ("scale.py", "management/commands/seed_demo.py", "management/commands/generate_scale.py")
#: Imports a function may make: WeasyPrint takes a second to import; ``ready`` runs once the apps are loaded.
LAZY = {("rendering/common.py", "weasyprint"), ("apps.py", "core.jobs"), ("apps.py", "reports")}


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith("migrations/") or relative in NOT_PRODUCT:
            continue
        parts = ["reports", *path.relative_to(ROOT).with_suffix("").parts]
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        yield relative, ".".join(parts), is_package, ast.parse(path.read_text(encoding="utf-8"))


def _imports(name, is_package, tree):
    """``(module imported, names taken, inside a function)`` for every import of a module."""
    package = name if is_package else name.rpartition(".")[0]
    functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    nested = {id(n) for f in functions for n in ast.walk(f) if n is not f}
    for node in ast.walk(tree):
        inside = id(node) in nested
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, [], inside
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            yield base, [a.name for a in node.names], inside


def _graph():
    modules = {name: (relative, is_package, tree) for relative, name, is_package, tree in _modules()}
    edges = {}
    for name, (_relative, is_package, tree) in modules.items():
        targets = set()
        for base, names, _inside in _imports(name, is_package, tree):
            submodules = {f"{base}.{n}" for n in names} & set(modules)
            targets |= submodules or ({base} & set(modules))
        edges[name] = targets - {name}
    return modules, edges


def test_no_import_cycle_among_the_reports_modules():
    _modules, edges = _graph()
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in edges:
        if node not in index:
            visit(node)
    assert cycles == []


def test_no_private_name_is_imported_from_another_module():
    taken = []
    for relative, name, is_package, tree in _modules():
        for base, names, _inside in _imports(name, is_package, tree):
            taken += [f"{relative}: {base}.{n}" for n in names if n.startswith("_") and not n.startswith("__")]
    assert taken == []


def test_no_import_inside_a_function_but_the_lazy_ones():
    inside = []
    for relative, name, is_package, tree in _modules():
        for base, _names, is_inside in _imports(name, is_package, tree):
            if is_inside and (relative, base) not in LAZY:
                inside.append(f"{relative}: {base}")
    assert inside == []
