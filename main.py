"""Run the VRU Partnership CRM: ``python main.py`` is the same as ``vru-crm``."""

import sys

from vru_crm.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
