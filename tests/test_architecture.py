"""The house rules that a reader of the import lines can check (docs/architecture.md, docs/style.md).

- apps depend downward only, in the order of the layers;
- no import cycle among product modules, counting imports inside functions;
- no module imports another module's private (``_name``) definitions;
- no product module is imported inside a function (the way cycles were hidden), but in
  ``AppConfig.ready``, where an app registers its parts once the apps are loaded.

Product modules are every ``.py`` file of the apps and the project package, migrations aside.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Each app's layer; an app imports only from layers below it (and itself). Apps in one layer do
#: not import each other.
LAYERS = {
    "core": 0,
    "trail": 1,
    "books": 1,
    "accounts": 1,
    "notifications": 1,
    "enterprises": 2,
    "providers": 3,
    "diagnostics": 4,
    "events": 4,
    "funding": 5,
    "dataquality": 6,
    "worklists": 6,
    "reports": 6,
    "dossiers": 7,
    "unitassessments": 7,
    "selfevaluations": 7,
    "unitreports": 7,
    "demo": 8,
    "songjiang_pilot": 9,
}


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def product_modules():
    modules = {}
    for app in LAYERS:
        base = ROOT / app
        if not base.is_dir():
            continue
        for path in base.rglob("*.py"):
            if "migrations" in path.parts:
                continue
            modules[_module_name(path)] = path
    return modules


def _resolve(name, modules):
    """The product module an import of ``name`` loads (its longest known prefix), or None."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def _inside_functions(tree):
    """The ids of the nodes inside a function body, and of those inside an ``AppConfig.ready``."""
    inside, in_ready = set(), set()
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            nodes = {id(n) for n in ast.walk(function) if n is not function}
            inside |= nodes
            if function.name == "ready":
                in_ready |= nodes
    return inside, in_ready


def imports_of(module, path, modules, *, where=False):
    """``[(target module, imported names, line)]`` for every import in the file, at any depth;
    with ``where``, each also says whether it sits in a function other than ``ready``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    inside, in_ready = _inside_functions(tree)
    found = []
    for node in ast.walk(tree):
        lazy = id(node) in inside and id(node) not in in_ready
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = _resolve(alias.name, modules)
                if target:
                    found.append((target, [], node.lineno, lazy) if where else (target, [], node.lineno))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                # "from pkg import mod" loads the submodule when there is one.
                target = _resolve(f"{source}.{alias.name}", modules)
                if target and target != f"{source}.{alias.name}":
                    target = _resolve(source, modules)
                if target:
                    found.append(
                        (target, [alias.name], node.lineno, lazy) if where else (target, [alias.name], node.lineno)
                    )
    return found


@pytest.fixture(scope="module")
def graph():
    modules = product_modules()
    return modules, {name: imports_of(name, path, modules) for name, path in modules.items()}


def _app(module):
    return module.split(".")[0]


def test_apps_depend_downward_only(graph):
    _modules, edges = graph
    upward = [
        f"{source}:{line} imports {target}"
        for source, targets in edges.items()
        for target, _names, line in targets
        if _app(source) != _app(target) and LAYERS[_app(target)] >= LAYERS[_app(source)]
    ]
    assert not upward, "Imports against the layers:\n" + "\n".join(sorted(upward))


def test_no_module_imports_another_modules_private_names(graph):
    _modules, edges = graph
    private = [
        f"{source}:{line} imports {name} from {target}"
        for source, targets in edges.items()
        for target, names, line in targets
        for name in names
        if name.startswith("_") and not name.startswith("__") and target != source
    ]
    assert not private, "Private names imported across modules:\n" + "\n".join(sorted(private))


def _cycles(edges):
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index, low, stack, on_stack, result = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in {t for t, _n, _l in edges.get(node, ()) if t != node}:
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
                result.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return result


def _package_of(module, modules):
    """A package's __init__ re-exporting its own submodules is not a cycle of the code it gathers."""
    return modules[module].name == "__init__.py"


def test_no_import_cycles_among_product_modules(graph):
    modules, edges = graph
    # A package's __init__ that re-exports its submodules and a submodule importing a sibling
    # through the package are one cycle in Python's eyes; count it, except the plain re-export edge
    # from an __init__ down to its own submodules, which never runs the other way at import time.
    pruned = {
        source: [
            (t, n, line) for t, n, line in targets if not (_package_of(source, modules) and t.startswith(source + "."))
        ]
        for source, targets in edges.items()
    }
    cycles = _cycles(pruned)
    assert not cycles, "Import cycles:\n" + "\n".join(" <-> ".join(c) for c in cycles)


def test_no_product_module_is_imported_inside_a_function():
    modules = product_modules()
    lazy = [
        f"{name}:{line} imports {target} inside a function"
        for name, path in modules.items()
        for target, _names, line, in_function in imports_of(name, path, modules, where=True)
        if in_function and target != name
    ]
    assert not lazy, "Imports inside functions:\n" + "\n".join(sorted(lazy))


def test_a_pages_permission_check_is_not_turned_into_a_message_by_its_own_error_handler():
    """``require`` in a view answers 403; inside ``try: … except DomainError`` it would become a flash message
    and a redirect (core's PermissionDenied is a DomainError too), so a page checks roles before its try."""
    swallowed = []
    for name, path in product_modules().items():
        if ".views" not in f".{name}":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Try) and any(
                handler.type is not None and "DomainError" in ast.unparse(handler.type) for handler in node.handlers
            ):
                body = ast.Module(body=node.body, type_ignores=[])
                swallowed += [
                    f"{name}:{call.lineno}"
                    for call in ast.walk(body)
                    if isinstance(call, ast.Call) and getattr(call.func, "id", None) == "require"
                ]
    assert not swallowed, "require() inside a try that catches DomainError:\n" + "\n".join(swallowed)
