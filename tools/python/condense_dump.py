"""Kept for notebooks and scripts written before the `condense` package: ``from condense_dump import RunRecorder``
still works (with ``sys.path.insert(0, "tools/python")`` or after ``pip install ./tools/python``).
New code: ``from condense import RunRecorder``."""
from condense.recorder import *  # noqa: F401,F403
from condense.recorder import __all__, FORMAT_NAME, TorchRunRecorder  # noqa: F401
