"""Question types: one module per type, found through the registry.

A new type is a module here (a `QuestionType` subclass with its block, registered with
`@register`) imported below, plus its form template in templates/courses/quiz/types/.
Adding its block to the quiz StreamField needs a migration of the courses app.
"""

from .base import Grade, InvalidAnswer, QuestionType
from .registry import UnknownQuestionType, question_type, question_types, register, unregister

# The built-in types register on import, in the order the quiz editor offers them (which is
# the StreamField's order, recorded in the migrations).
# isort: off
from . import single_choice, multiple_choice, true_false, short_text, number  # noqa: F401
from . import ordering, matching  # noqa: F401
# isort: on

__all__ = [
    "Grade",
    "InvalidAnswer",
    "QuestionType",
    "UnknownQuestionType",
    "question_type",
    "question_types",
    "register",
    "unregister",
]
