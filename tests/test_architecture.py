"""The project's import rules, read from the source with `ast` (no Django, no database).

`portal` is the project package: it wires the apps and no app imports it. The apps import
one way, inquiries -> programs -> roles; no module imports another that imports it back;
and no app module grows past MAX_LINES (a module with several jobs becomes a package).

Every import statement counts wherever it sits: at module level, inside a function or a
class, under `if TYPE_CHECKING:` or in a `try`. Imports done through strings (`include()`,
`importlib.import_module`, `__import__`) are not seen.
"""

import ast
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PACKAGES = ("portal", "roles", "programs", "inquiries", "visits", "appointments")
APPS = ("roles", "programs", "inquiries", "visits", "appointments")
# The apps' layers run appointments -> visits -> inquiries -> programs -> roles: what each
# must not import.
LATER_LAYERS = {
    "roles": ("programs", "inquiries", "visits", "appointments"),
    "programs": ("inquiries", "visits", "appointments"),
    "inquiries": ("visits", "appointments"),
    "visits": ("appointments",),
    "appointments": (),
}
MAX_LINES = 400


@dataclass(frozen=True)
class Module:
    name: str
    path: Path
    is_package: bool

    @property
    def package(self) -> str:
        """The package that relative imports in this module are resolved against."""
        return self.name if self.is_package else self.name.rpartition(".")[0]

    @property
    def location(self) -> str:
        return str(self.path.relative_to(ROOT))


@dataclass(frozen=True)
class Import:
    module: Module
    line: int
    target: str
    """The module imported, absolute: for `from x import name`, `x.name` if it is a module."""


@cache
def project_modules() -> dict[str, Module]:
    """Every module of the project packages but their migrations, by dotted name."""
    modules = {}
    for package in PROJECT_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts:
                continue
            is_package = parts[-1] == "__init__"
            name = ".".join(parts[:-1] if is_package else parts)
            modules[name] = Module(name=name, path=path, is_package=is_package)
    return modules


def _top(name: str) -> str:
    return name.partition(".")[0]


def _ancestors(name: str) -> list[str]:
    """The packages that importing `name` imports first: a.b.c -> [a, a.b]."""
    parts = name.split(".")
    return [".".join(parts[:end]) for end in range(1, len(parts))]


def _resolve_from(module: Module, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module
    base = module.package.split(".")
    if node.level - 1 >= len(base):
        raise AssertionError(
            f"{module.location}:{node.lineno}: a relative import climbs above the project"
        )
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


@cache
def imports_of(module: Module) -> list[Import]:
    """What `module`'s import statements name, relative imports resolved.

    `from pkg import name` names `pkg.name` when that is a module, else `pkg`.
    """
    tree = ast.parse(module.path.read_text(encoding="utf-8"), filename=str(module.path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Import(module, node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve_from(module, node)
            targets = {
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in project_modules() else base
                for alias in node.names
            }
            found += [Import(module, node.lineno, target) for target in targets]
    return sorted(found, key=lambda found_import: (found_import.line, found_import.target))


def _app_modules():
    return [module for module in project_modules().values() if _top(module.name) in APPS]


def _imports_by_package(module: Module) -> list[Import]:
    """One import per statement and top-level package, the most specific one:
    `from roles import models` is reported as importing roles.models, once."""
    chosen = {}
    for found in imports_of(module):
        key = (found.line, _top(found.target))
        if key not in chosen or len(found.target) > len(chosen[key].target):
            chosen[key] = found
    return sorted(chosen.values(), key=lambda found: (found.line, found.target))


def _describe(found: Import) -> str:
    return f"{found.module.location}:{found.line}: {found.module.name} imports {found.target}"


def test_no_app_imports_the_project_package():
    violations = [
        _describe(found)
        for module in _app_modules()
        for found in _imports_by_package(module)
        if _top(found.target) == "portal"
    ]
    assert not violations, "Apps importing the project package:\n" + "\n".join(violations)


def test_apps_import_one_way():
    violations = [
        f"{_describe(found)}, a later layer than {_top(module.name)}"
        for module in _app_modules()
        for found in _imports_by_package(module)
        if _top(found.target) in LATER_LAYERS[_top(module.name)]
    ]
    assert not violations, "Imports against inquiries -> programs -> roles:\n" + "\n".join(
        violations
    )


def import_graph() -> dict[str, dict[str, Import]]:
    """module -> {module it imports -> the first import statement that does}.

    Importing a.b.c runs a/__init__.py and a/b/__init__.py first, so it depends on them
    too, except on the importing module's own packages: those are already imported (or
    being imported) before its first line runs. Reading a name from such a package
    (`from inquiries.admin import SomeAdmin`, `import inquiries`) still counts, since that
    needs the package's __init__ to have run to the end; `from inquiries.admin import
    filters`, a submodule, does not.
    """
    modules = project_modules()
    graph = {name: {} for name in modules}
    for module in modules.values():
        own_packages = set(_ancestors(module.name))
        for found in imports_of(module):
            named = [(found.target, True)] + [(name, False) for name in _ancestors(found.target)]
            for target, explicit in named:
                if target not in modules or target == module.name:
                    continue
                if not explicit and target in own_packages:
                    continue
                graph[module.name].setdefault(target, found)
    return graph


def _strongly_connected(graph: dict[str, dict[str, Import]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative; components of two or more modules, sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(sorted(component))
    return sorted(components)


def _shortest_cycle(graph, start: str, members: set[str]) -> list[str]:
    """The shortest path start -> ... -> start inside one strongly connected component."""
    previous = {start: None}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for successor in sorted(graph[node]):
                if successor not in members:
                    continue
                if successor == start:
                    path = [node]
                    while previous[path[-1]] is not None:
                        path.append(previous[path[-1]])
                    return [*reversed(path), start]
                if successor not in previous:
                    previous[successor] = node
                    following.append(successor)
        frontier = following
    raise AssertionError(f"{start} is in no cycle")  # unreachable for a component member


def _describe_edge(graph, importer: str, imported: str) -> str:
    found = graph[importer][imported]
    if found.target == imported:
        return _describe(found)
    return f"{_describe(found)}, which runs {imported} (its package) first"


def describe_cycles(graph) -> list[str]:
    descriptions = []
    for component in _strongly_connected(graph):
        cycle = _shortest_cycle(graph, component[0], set(component))
        steps = [_describe_edge(graph, here, there) for here, there in pairwise(cycle)]
        descriptions.append(
            f"cycle among {', '.join(component)}:\n" + "\n".join(f"  {step}" for step in steps)
        )
    return descriptions


def test_no_import_cycles():
    cycles = describe_cycles(import_graph())
    assert not cycles, "Import cycles:\n" + "\n".join(cycles)


def test_no_app_module_is_too_long():
    violations = []
    for module in _app_modules():
        lines = len(module.path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            violations.append(
                f"{module.location}:{MAX_LINES + 1}: {module.name} is {lines} lines long, "
                f"over the limit of {MAX_LINES}"
            )
    assert not violations, "Modules to split:\n" + "\n".join(violations)


def test_the_rules_see_every_app():
    """The checks above would pass vacuously if the modules were not found."""
    modules = project_modules()
    for package in PROJECT_PACKAGES:
        assert f"{package}.models" in modules or f"{package}.settings" in modules, package
    assert not any(".migrations" in name for name in modules)
