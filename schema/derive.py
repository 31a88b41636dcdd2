"""GraphQL object types derived from the read models of ``graph/``.

A read model (``graph.entities``, ``graph.traces``) is the one definition of a type's fields: their
names, types and descriptions, and the type's description (its docstring). :func:`derived` turns
a class holding only what the model cannot say (relationship fields, computed fields) into a
Strawberry type whose leaf fields come from the model, in the model's order, ahead of the class's
own. Resolvers return the model instances themselves: nothing is copied field by field, so a new
field is one edit to the model plus the Cypher that reads it.

An entity (a model with a ``KEY``) also gets the uniform ``id: ID!`` that client caches key on,
and accepts its model's instances where GraphQL asks which type an object is (lookup unions).
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar

import strawberry
from graphql import GraphQLResolveInfo
from pydantic import BaseModel

from graph.entities import Entity, ReadModel
from resolvers.entities import relation

T = TypeVar("T", bound=type)

# model -> the type derived from it, so a model nested in another maps to its GraphQL type.
_DERIVED: dict[type[BaseModel], type] = {}
_MODEL_OF: dict[type, type[BaseModel]] = {}


def description_of(model: type) -> str:
    return " ".join((model.__doc__ or "").split())


def _graphql_annotation(annotation: Any) -> Any:
    """The model's annotation with nested models replaced by the types derived from them."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _DERIVED[annotation]
    origin = typing.get_origin(annotation)
    if origin is list:
        (item,) = typing.get_args(annotation)
        return list[_graphql_annotation(item)]  # type: ignore[misc]
    if origin in (typing.Union, types.UnionType):
        args = tuple(_graphql_annotation(a) for a in typing.get_args(annotation))
        return typing.Union[args]  # noqa: UP007 - built from a runtime tuple
    return annotation


def as_answer(value: object) -> Any:
    """``value`` (read models) where a derived type is expected: they answer for it as they are."""
    return value


def model_of(derived_type: type) -> type[BaseModel]:
    """The read model ``derived_type`` was derived from."""
    return _MODEL_OF[derived_type]


def _key_of(root: Entity) -> strawberry.ID:
    return strawberry.ID(root.key)


def derived(model: type[BaseModel], *, name: str | None = None) -> Callable[[T], T]:
    """Class decorator: a Strawberry type with ``model``'s fields, then the class's own."""

    def wrap(cls: T) -> T:
        own = dict(inspect.get_annotations(cls))
        annotations: dict[str, Any] = {}
        is_entity = issubclass(model, Entity)
        if is_entity:
            annotations["id"] = strawberry.ID
            own_id = model.model_fields.get("id")
            cls.id = strawberry.field(  # type: ignore[attr-defined]
                resolver=_key_of,
                description=own_id.description
                if own_id is not None
                else "Uniform identifier (the business key), for client caches.",
            )
        for field_name, field in model.model_fields.items():
            if is_entity and field_name == "id":
                continue
            annotations[field_name] = _graphql_annotation(field.annotation)
            setattr(cls, field_name, strawberry.field(description=field.description))
        overlap = set(own) & set(annotations)
        if overlap:
            raise TypeError(f"{cls.__name__} redefines fields of {model.__name__}: {overlap}")
        annotations.update(own)
        cls.__annotations__ = annotations
        if is_entity:

            def is_type_of(c: type, obj: Any, _info: GraphQLResolveInfo[Any]) -> bool:
                return isinstance(obj, (c, model))

            cls.is_type_of = classmethod(is_type_of)  # type: ignore[attr-defined]
        result: T = strawberry.type(cls, name=name, description=description_of(model))
        _DERIVED[model] = result
        _MODEL_OF[result] = model
        return result

    return wrap


def answers_with_model(resolver: Callable[..., Any]) -> Any:
    """Let ``resolver`` return read models where its field's GraphQL type is derived from them.

    Strawberry takes a field's type from its resolver's return annotation when there is one; the
    field's annotation on the type (the derived GraphQL type) must win instead.
    """
    resolver.__annotations__.pop("return", None)
    return resolver


def related(
    query: str,
    model: type[ReadModel],
    *,
    description: str,
    single: bool = False,
    keep: Callable[[Any], bool] | None = None,
) -> Any:
    """A relationship field answered by the named query ``query`` (see resolvers.entities)."""
    return strawberry.field(
        resolver=answers_with_model(relation(query, model, single=single, keep=keep)),
        description=description,
    )
