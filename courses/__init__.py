"""Catalogue, course and lesson pages, enrolment, assignments, progress and quizzes."""
