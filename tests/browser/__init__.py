"""Browser tests (a package, so that this directory's conftest is not imported under the
bare module name "conftest", which the project's root conftest owns)."""
