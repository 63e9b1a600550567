"""A question type of the tests' own, written as a new type would be: one module.

"In which year …?": the learner types a year; right only if it is the year. The feedback
says how far off an answer is. The form is the short-text input, so there is no template.
"""

from decimal import Decimal

from wagtail import blocks

from courses.quizzes.types import Grade, InvalidAnswer, QuestionType
from courses.quizzes.types.base import QuestionBlock, field_name

NOT_A_YEAR = "Please enter a year with four digits, for example 2017."


class YearBlock(QuestionBlock):
    year = blocks.IntegerBlock(label="year", min_value=1000, max_value=9999)


class Year(QuestionType):
    name = "year"
    label = "Year"
    block_class = YearBlock
    typed_input = True
    form_template = "courses/quiz/types/short_text.html"

    def snapshot(self, value, *, rng, shuffle):
        return {"year": int(value["year"])}

    def read_answer(self, question, data):
        value = data.get(field_name(question), "").strip()
        if not value:
            return None
        if not (value.isdecimal() and len(value) == 4):
            raise InvalidAnswer(NOT_A_YEAR)
        return value

    def grade(self, question, answer):
        points = Decimal(question["points"])
        return Grade(points if int(answer) == question["year"] else Decimal(0), points)

    def correct_answer(self, question):
        return str(question["year"])

    def wrong_answer(self, question):
        return str(question["year"] + 1)

    def feedback(self, question, answer):
        off = abs(int(answer) - question["year"])
        return [f"{off} Jahre daneben."] if off else []
