"""``python -m presslab`` is the ``presslab`` command."""

import sys

from presslab.cli import main

sys.exit(main())
