"""The .pyi stubs describe the runtime modules: same public names, same function parameters
(names, keyword-only markers, defaults), class members and exception bases."""

import ast
import inspect
import os

import pytest

import bulwark
from bulwark import cel, core, image, policy, risk, runtime, sbom, sign, vuln

MODULES = [bulwark, cel, core, image, policy, risk, runtime, sbom, sign, vuln]


def stub_tree(module):
    path = os.path.splitext(module.__file__)[0] + ".pyi"
    with open(path, encoding="utf-8") as file:
        return ast.parse(file.read(), path)


def stub_names(tree):
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign):
            names.add(node.target.id)
        elif isinstance(node, ast.ImportFrom):
            names.update(alias.asname for alias in node.names if alias.asname)
    return {name for name in names if not name.startswith("_") or name == "__version__"}


def parameters(function):
    """(name, keyword-only, default or None) for each parameter of an ast function."""
    arguments = function.args
    positional = arguments.posonlyargs + arguments.args
    defaults = [None] * (len(positional) - len(arguments.defaults)) + arguments.defaults
    result = [(a.arg, False, d and ast.literal_eval(d)) for a, d in zip(positional, defaults)]
    result += [(a.arg, True, d and ast.literal_eval(d))
               for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults)]
    return result


def runtime_parameters(function):
    """The parameters of a Python function, or those pybind11 writes on the first line of a bound
    function's docstring."""
    if inspect.isfunction(function):
        return [(p.name, p.kind == p.KEYWORD_ONLY, None if p.default is p.empty else p.default)
                for p in inspect.signature(function).parameters.values()
                if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    signature = function.__doc__.splitlines()[0]
    return parameters(ast.parse(f"def {signature}: pass").body[0])


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_stub_names_are_the_public_names(module):
    assert stub_names(stub_tree(module)) == set(module.__all__)


@pytest.mark.parametrize("module", MODULES[1:], ids=lambda m: m.__name__)
def test_stub_function_parameters_match_the_bindings(module):
    for node in stub_tree(module).body:
        if isinstance(node, ast.FunctionDef):
            assert parameters(node) == runtime_parameters(getattr(module, node.name)), node.name


def check_class(node, runtime_class):
    # Digest's runtime base is pybind11's object type, which the stub leaves out.
    if node.bases:
        assert [ast.unparse(base) for base in node.bases] == \
            [base.__name__ for base in runtime_class.__bases__], node.name
    else:
        # A bound class: every public runtime member is in the stub.
        runtime_members = {name for name in dir(runtime_class) if not name.startswith("_")}
        # Dataclass fields with defaults are class attributes at runtime: annotated in the stub.
        stub_members = {member.name for member in node.body
                        if isinstance(member, ast.FunctionDef)}
        stub_members |= {member.target.id for member in node.body
                         if isinstance(member, ast.AnnAssign)}
        assert runtime_members <= stub_members, (node.name, runtime_members - stub_members)
    # Annotated attributes (Error.code) exist on instances only; exceptions_test checks them.
    for member in node.body:
        if isinstance(member, ast.FunctionDef):
            assert hasattr(runtime_class, member.name), (node.name, member.name)
            # Plain methods (not properties, not operators) take the same parameters.
            if not member.decorator_list and not member.name.startswith("__"):
                assert parameters(member) == \
                    runtime_parameters(getattr(runtime_class, member.name)), \
                    (node.name, member.name)


def test_stub_classes_match_the_runtime_classes():
    for module in MODULES:
        for node in stub_tree(module).body:
            if isinstance(node, ast.ClassDef):
                check_class(node, getattr(module, node.name))
