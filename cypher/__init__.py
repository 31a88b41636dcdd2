"""Every Cypher statement of tracegraph, in ``.cypher`` files read through importlib.resources.

Query files hold blocks headed ``// name: <name>``; their directory is the namespace
(``traces/forward.cypher`` -> ``traces.<name>``). ``schema/`` holds numbered migrations instead.
"""
