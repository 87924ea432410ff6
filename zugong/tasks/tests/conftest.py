from .helpers import clock  # noqa: F401 - the fixed clock fixture for every task test
