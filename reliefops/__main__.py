"""``python -m reliefops`` runs the ``reliefops`` command."""

import sys

from reliefops.cli import main

sys.exit(main())
