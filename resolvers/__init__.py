"""Resolver functions and their DataLoaders: GraphQL <-> graph/ calls, nothing else."""
