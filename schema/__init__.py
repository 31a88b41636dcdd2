"""Strawberry GraphQL types, inputs, enums and the schema object, one concept per module."""
