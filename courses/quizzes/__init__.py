"""Quizzes: question types, attempts frozen as drawn, server-side grading and item analysis."""
