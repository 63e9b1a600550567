"""The registry of question types: every quiz question has the type its block is named after."""

from .base import QuestionType

_types: dict[str, QuestionType] = {}


class UnknownQuestionType(ValueError):
    pass


def register(type_class: type[QuestionType]) -> type[QuestionType]:
    """Register a question type (usable as a class decorator). The order of registration is
    the order of the blocks in the quiz editor."""
    question_type = type_class()
    if not question_type.name:
        raise ValueError(f"{type_class.__name__} has no name")
    if question_type.name in _types:
        raise ValueError(f"A question type named {question_type.name!r} is registered already")
    _types[question_type.name] = question_type
    return type_class


def unregister(name: str) -> None:
    """Remove a type again (tests that register one of their own)."""
    del _types[name]


def question_types() -> list[QuestionType]:
    return list(_types.values())


def question_type(name: str) -> QuestionType:
    try:
        return _types[name]
    except KeyError:
        raise UnknownQuestionType(f"Unknown question type {name!r}") from None
