"""URL converters. `id` is `int` limited to what a database key can hold.

Django's `int` accepts any number of digits; a 30-digit id reaches the database, where
SQLite raises OverflowError (a server error) instead of finding nothing. With `id`, such a
URL is simply not found.
"""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")
