"""``python -m betterplace_async`` runs the ``betterplace`` command."""

import sys

from .cli import main

sys.exit(main())
