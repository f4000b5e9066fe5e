"""Fail if a module uses another package's private names: `from pkg.mod import _name`,
`import pkg.mod` then `pkg.mod._name`, or `mod._name` / `getattr(mod, "_name")` where `mod` was
imported. A private name (one leading underscore, not a dunder) is free to change without notice;
code outside its own package must not depend on it. Run by `make lint` over src/, tests/ and bench/.

    python tools/check_private_names.py src tests bench
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def package_of(path: Path, roots: list[Path]) -> str:
    """The dotted package a file belongs to (`openlrs.store.plr` for src/openlrs/store/plr/x.py)."""
    for root in roots:
        try:
            rel = path.resolve().relative_to(root.resolve())
        except ValueError:
            continue
        parts = list(rel.parent.parts)
        if root.name == "src":
            return ".".join(parts)
        return ".".join([root.name, *parts])
    return ""


class Checker(ast.NodeVisitor):
    def __init__(self, path: Path, package: str) -> None:
        self.path = path
        self.package = package
        self.imported: dict[str, str] = {}  # local name -> module it came from
        self.problems: list[str] = []

    def foreign(self, module: str) -> bool:
        """Whether `module` (a module, or a package named in `from package import name`) lies
        outside the package this file is in."""
        if not module:
            return False
        return self.package not in (module, module.rsplit(".", 1)[0])

    def report(self, node: ast.AST, what: str) -> None:
        self.problems.append(f"{self.path}:{getattr(node, 'lineno', 0)}: {what}")

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if any(is_private(part) for part in alias.name.split(".")[1:]):
                self.report(node, f"imports private module {alias.name}")
            if alias.asname:
                self.imported[alias.asname] = alias.name
            else:  # `import a.b.c` binds `a`
                self.imported[alias.name.split(".")[0]] = alias.name.split(".")[0]

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:  # relative: inside the same package
            return
        module = node.module or ""
        for alias in node.names:
            if is_private(alias.name) and self.foreign(module):
                self.report(node, f"imports private name {alias.name} from {module}")
            elif any(is_private(part) for part in module.split(".")[1:]) and self.foreign(module):
                self.report(node, f"imports from private module {module}")
            self.imported[alias.asname or alias.name] = module

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        # Annotations are for the type checker, not run: a dependency's private *type* named
        # there (lxml's `etree._Element`, the type its stubs give) is not a use at run time.
        for arg in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs):
            arg.annotation = None
        for arg in (node.args.vararg, node.args.kwarg):
            if arg is not None:
                arg.annotation = None
        node.returns = None
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)
        self.visit(node.target)

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        if (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
            isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
        ):
            for stmt in node.body:  # imports still bind names
                if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                    self.visit(stmt)
            for stmt in node.orelse:
                self.visit(stmt)
            return
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        """In a subclass of another package's class, `self._name` that this class does not
        define itself is the base class's private attribute."""
        foreign_base = any(
            (b := self._base_name(base)) in self.imported and self.foreign(self.imported[b])
            for base in node.bases
        )
        if foreign_base:
            own = {
                n.name
                for n in ast.walk(node)
                if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            }
            for n in ast.walk(node):
                if isinstance(n, ast.Attribute) and isinstance(n.ctx, ast.Store):
                    own.add(n.attr)
                elif isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                    own.add(n.id)
            for n in ast.walk(node):
                if (
                    isinstance(n, ast.Attribute)
                    and isinstance(n.value, ast.Name)
                    and n.value.id in ("self", "cls")
                    and is_private(n.attr)
                    and n.attr not in own
                ):
                    self.report(n, f"reads {n.attr}, private to the base class of {node.name}")
        self.generic_visit(node)

    def _base_name(self, node: ast.expr) -> str | None:
        while isinstance(node, ast.Attribute):
            node = node.value
        return node.id if isinstance(node, ast.Name) else None

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if is_private(node.attr):
            base = self._base_name(node.value)
            if base in self.imported and self.foreign(self.imported[base]):
                self.report(node, f"reads private attribute {node.attr} of {self.imported[base]}")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if (
            isinstance(func, ast.Name)
            and func.id in ("getattr", "setattr", "hasattr", "delattr")
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and is_private(node.args[1].value)
        ):
            base = self._base_name(node.args[0])
            if base in self.imported and self.foreign(self.imported[base]):
                self.report(node, f"{func.id} of private name {node.args[1].value}")
        self.generic_visit(node)


def main(argv: list[str]) -> int:
    roots = [Path(a) for a in argv] or [Path("src"), Path("tests"), Path("bench")]
    problems: list[str] = []
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            checker = Checker(path, package_of(path, roots))
            checker.visit(ast.parse(path.read_text(), str(path)))
            problems.extend(checker.problems)
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} use(s) of another package's private names", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
