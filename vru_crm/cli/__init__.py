"""The ``vru-crm`` command line: every service the windows reach."""
