"""``python -m betterplace_async`` runs the ``betterplace`` command."""

import sys

from betterplace_async.cli import main

sys.exit(main())
