"""Input no database can store gets a 400 before any view sees it, never a 500.

- Ids in URLs (`<int:...>`) above what an INTEGER column holds: PostgreSQL and MySQL
  raise "out of range" instead of finding nothing. Such a URL names nothing: 404.
  Cursors with such an id (pagination.py) name the place of the largest.
- NUL characters in form fields and JSON: PostgreSQL refuses them in text.
- Lone surrogates in JSON ("\\ud800"): no database encoding can store them.
- JSON nested deeper than Python's parser can follow.
"""

from flask import abort, request
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter

# The largest id an INTEGER column holds on every database (32-bit signed).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:...>` for ids. One above MAX_ID names no row, so it is passed on as 0, which
    names none either (ids start at 1) and which every database compares without error:
    the view answers 404, for every method. (Refusing it here instead would make
    Werkzeug answer a DELETE with 405, because the GET rule for the same path matched.)"""

    def to_python(self, value):
        number = super().to_python(value)
        return number if number <= MAX_ID else 0


def init_app(app):
    # Before any blueprint is registered: rules pick their converters when added.
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_unstorable_input)


def refuse_unstorable_input():
    if any("\x00" in value for value in request.form.values()):
        abort(400, _l("Text may not contain NUL characters."))
    if request.is_json and request.content_length:
        try:
            data = request.get_json(silent=True)  # parsed once: the view reads the cache
        except RecursionError:
            abort(400, "The JSON is nested too deeply.")
        if any(not storable(text) for text in strings_in(data)):
            abort(400, "Text may not contain NUL characters or lone surrogates.")


def storable(text):
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return False
    return True


def strings_in(data):
    """Every string (keys included) in parsed JSON, walked without recursion."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
