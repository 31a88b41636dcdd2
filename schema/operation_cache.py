"""Each distinct query text is parsed and validated once: one extension, keyed by the text.

It does what strawberry's ``MaxTokensLimiter``, ``AddValidationRules``, ``ParserCache`` and
``ValidationCache`` do together, for less per request: their validation cache is keyed by the
parsed document, and hashing a document walks its whole tree on every request (a frozen dataclass
hashes all its fields), while a query text hashes once and keeps its hash; and one extension's
hooks run instead of four.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Sequence
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    Source,
    TokenKind,
    parse,
)
from graphql.language.lexer import Lexer
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document


class Lru:
    """A bounded mapping that forgets the least recently used entry first."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self.entries: OrderedDict[Any, Any] = OrderedDict()

    def get(self, key: Any) -> Any:
        value = self.entries.get(key)
        if value is not None:
            self.entries.move_to_end(key)
        return value

    def put(self, key: Any, value: Any) -> None:
        self.entries[key] = value
        if len(self.entries) > self.maxsize:
            self.entries.popitem(last=False)


def check_token_count(query: str, max_tokens: int) -> None:
    """Refuse a text of more than ``max_tokens`` tokens before parsing it (``TOO_MANY_TOKENS``)."""
    lexer = Lexer(Source(query))
    count = 0
    try:
        while lexer.advance().kind is not TokenKind.EOF:
            count += 1
            if count > max_tokens:
                raise GraphQLError(
                    f"Document contains more than {max_tokens} tokens.",
                    extensions={"code": "TOO_MANY_TOKENS"},
                )
    except GraphQLError as error:
        if error.extensions:
            raise
        # A lexing error: the parser reports it with its position.


class PreparedOperations:
    """The parsed documents and validation results of one schema, by query text.

    Only successes are kept: a text that does not parse (a syntax error, too many tokens) is
    parsed again next time, so a flood of bad texts cannot crowd out the good ones.
    """

    def __init__(
        self, *, max_tokens: int, rules: Sequence[type[ASTValidationRule]], maxsize: int
    ) -> None:
        self.max_tokens = max_tokens
        self.rules = tuple(rules)
        self.documents = Lru(maxsize)
        self.validations = Lru(maxsize)

    def document(self, query: str) -> DocumentNode:
        document: DocumentNode | None = self.documents.get(query)
        if document is None:
            check_token_count(query, self.max_tokens)
            document = parse(query)
            self.documents.put(query, document)
        return document

    def errors(
        self,
        schema: GraphQLSchema,
        query: str,
        document: DocumentNode,
        rules: tuple[type[ASTValidationRule], ...],
    ) -> list[GraphQLError]:
        # The schema and the rules are fixed per schema; they are in the key so a change to
        # either can never reuse a stale answer.
        key = (query, id(schema), rules)
        errors: list[GraphQLError] | None = self.validations.get(key)
        if errors is None:
            errors = validate_document(schema, document, rules)
            self.validations.put(key, errors)
        return errors


class OperationCache(SchemaExtension):
    """Parse under the token limit and validate with the limit rules, once per query text."""

    def __init__(self, *, prepared: PreparedOperations) -> None:
        super().__init__()
        self.prepared = prepared

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is None and context.query:
            context.graphql_document = self.prepared.document(context.query)
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        rules = tuple(context.validation_rules) + self.prepared.rules
        document = context.graphql_document
        if document is not None and context.query:
            context.pre_execution_errors = self.prepared.errors(
                context.schema._schema, context.query, document, rules
            )
        else:
            context.validation_rules = rules  # no text to key on: strawberry validates it
        yield
