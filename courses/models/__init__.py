from .assignments import Assignment, AssignmentChange, AssignmentRule
from .learning import Enrolment, LessonProgress, ProgressEvent
from .pages import CatalogPage, CoursePage, CourseTopic, LessonPage
from .quizzes import QuizAttempt, QuizPage
from .search import CourseSearchText

__all__ = [
    "Assignment",
    "AssignmentChange",
    "AssignmentRule",
    "CatalogPage",
    "CoursePage",
    "CourseSearchText",
    "CourseTopic",
    "Enrolment",
    "LessonPage",
    "LessonProgress",
    "ProgressEvent",
    "QuizAttempt",
    "QuizPage",
]
