"""The partnership graph: who connects to whom, who brokers, and who is left out.

``build`` reads the graph from the database with filters, ``measures`` finds the
brokers and the gaps, ``compare`` sets two periods side by side, ``export``
writes GraphML, GEXF and CSV, ``layout`` places the nodes and ``positions``
keeps them. NetworkX and numpy are imported inside the functions that need them,
so importing this package costs nothing at start-up.
"""
