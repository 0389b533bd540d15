"""Reference solutions. The code between ``### BEGIN SOLUTION`` and ``### END SOLUTION``
is what students write; ``python -m graders stubs`` turns this package into ``exercises/``."""
