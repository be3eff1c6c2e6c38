"""pytest-odoo glue: make pytest run the same Odoo tests as Odoo's own runner.

setup/test.sh runs every suite test twice: with Odoo's runner
(``odoo-bin --test-enable --test-tags /<addon>``) and with pytest-odoo on the
same database. pytest-odoo 2.3 collects whatever unittest classes a test module
holds, and knows nothing of Odoo's test tags, so without this file it would run
more than Odoo does:

- test classes *imported* into a test module (e.g. helpdesk_mgmt's
  tests/test_js.py imports web's ``WebSuite``, which would re-run the whole web
  client suite) -- Odoo's runner files a class under the addon that defines it,
  and ``--test-tags /helpdesk_mgmt`` leaves it out;
- test methods a class *inherits* (helpdesk_mgmt's ``TestHelpdesMgmtJs``
  subclasses ``WebSuite`` and inherits ``test_hoot``, ``test_qunit_desktop``,
  ...): Odoo's loader (odoo/tests/loader.py) only takes the ``test*`` methods
  of the class's own ``__dict__``, unless ``allow_inherited_tests_method``;
- classes not tagged ``standard`` (``@tagged("-standard", ...)``), which
  Odoo's runner only runs when asked for by tag.

The reverse also happens: Odoo's runner only runs the test modules that the
addon's ``tests/__init__.py`` imports, while pytest collects every
``test_*.py``. A test module missing from ``tests/__init__.py`` would run
under pytest only, so here it makes the pytest run fail
(``odoo-runner-skips``), naming the module.

Odoo's runner also sets, for each test, ``odoo.modules.module.current_test``
to the running test (odoo/tests/suite.py; pytest-odoo 2.3 only does so for
Odoo >= 19): code that must not commit under test checks it, as Odoo's own
mail and account addons do; and it gives each test a ``_test_params`` list
(test-tag parameters), which ``HOOTCommon``/``WebSuite`` browser tests read.

Noise removed: pytest-odoo imports ``odoo.tests`` before it turns Odoo's
``test_enable`` on (on purpose: turning it on globally would make the
registry run every at_install test while loading), so Odoo logs an ERROR
"Importing test framework ..." with a stack; and pytest resets the warning
filters Odoo sets up (odoo/netsvc.py), so the DeprecationWarnings of
Werkzeug 2.3 (werkzeug.urls, used throughout Odoo 18) and urllib3 flood the
summary.
"""

import ast
import logging
import pathlib

import pytest


class _ImportingTestFrameworkFilter(logging.Filter):
    def filter(self, record):
        return not str(record.msg).startswith("Importing test framework")


logging.getLogger("odoo.tests.common").addFilter(_ImportingTestFrameworkFilter())


def pytest_configure(config):
    for line in (
        r"ignore:'werkzeug\.urls\.:DeprecationWarning",
        r"ignore:'urllib3\.contrib\.pyopenssl' module is deprecated:DeprecationWarning",
    ):
        config.addinivalue_line("filterwarnings", line)


def _deselect_reason(item):
    cls = getattr(item, "cls", None)
    module = getattr(item, "module", None)
    if cls is None or module is None:
        return None
    if cls.__module__ != module.__name__:
        return f"imported from {cls.__module__}"
    method = getattr(item, "originalname", None) or item.name
    inherited_ok = getattr(cls, "allow_inherited_tests_method", False)
    if method not in cls.__dict__ and not inherited_ok:
        return "inherited test method"
    tags = getattr(cls, "test_tags", None)
    if tags is not None and "standard" not in tags:
        return "not tagged 'standard'"
    return None


def _imported_by_package(init_file):
    """Names of the submodules that a tests/__init__.py imports."""
    names = set()
    tree = ast.parse(pathlib.Path(init_file).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                names.add(node.module.split(".")[0])
            else:
                names.update(alias.name for alias in node.names)
    return names


def _modules_odoo_skips(items):
    """Collected test modules that Odoo's runner would not import."""
    skipped = set()
    imported = {}
    for item in items:
        module = getattr(item, "module", None)
        if module is None or not module.__name__.startswith("odoo.addons."):
            continue
        package, _, name = module.__name__.rpartition(".")
        init_file = pathlib.Path(module.__file__).with_name("__init__.py")
        if not package.endswith(".tests") or not init_file.is_file():
            continue
        if init_file not in imported:
            imported[init_file] = _imported_by_package(init_file)
        if name not in imported[init_file]:
            skipped.add(module.__file__)
    return sorted(skipped)


class OdooRunnerSkips(pytest.Item):
    """Fails when some test module is not imported by its tests/__init__.py."""

    def __init__(self, *, modules, **kwargs):
        super().__init__(**kwargs)
        self.modules = modules

    def runtest(self):
        raise AssertionError(
            "not imported by their tests/__init__.py, so Odoo's runner skips "
            "them (pytest ran them): " + ", ".join(self.modules)
        )

    def repr_failure(self, excinfo, style=None):
        return str(excinfo.value)

    def reportinfo(self):
        return self.path, None, "odoo-runner-skips"


def pytest_collection_modifyitems(session, config, items):
    selected, deselected = [], []
    for item in items:
        (deselected if _deselect_reason(item) else selected).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected
    skipped = _modules_odoo_skips(items)
    if skipped:
        items.append(
            OdooRunnerSkips.from_parent(
                session, name="odoo-runner-skips", modules=skipped
            )
        )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    instance = getattr(item, "instance", None)
    if instance is None:
        return
    if not hasattr(instance, "_test_params"):
        instance._test_params = []
    from odoo.modules import module as odoo_module

    odoo_module.current_test = instance


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item):
    if getattr(item, "instance", None) is not None:
        from odoo.modules import module as odoo_module

        odoo_module.current_test = False
