"""``python -m condense plot KIND FILE`` (see condense/cli.py)."""
import sys

from .cli import main

sys.exit(main())
