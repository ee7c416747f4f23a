"""Run relcli as ``python -m relcli``."""

import sys

from relcli.cli import main

sys.exit(main())
