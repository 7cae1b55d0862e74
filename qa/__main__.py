"""`python -m qa …` is the `qa` command."""

import sys

from qa.ui.cli import main

sys.exit(main())
