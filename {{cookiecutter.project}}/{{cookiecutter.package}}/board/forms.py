from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..models import Message


def strip(value):
    return value.strip() if value else value


def unix_newlines(value):
    """Browsers send a textarea's line breaks as CRLF: count (and store) each as one
    character, as the live counter in the page does (static/length_counter.js)."""
    return value.replace("\r\n", "\n") if value else value


class MessageForm(FlaskForm):
    body = TextAreaField(
        _l("Message"),
        validators=[
            DataRequired(),
            Length(
                max=Message.MAX_LENGTH,
                message=_l(
                    "A message can be at most %(max)d characters. Shorten it and post again."
                ),
            ),
        ],
        filters=[unix_newlines, strip],
        # No maxlength attribute (Length() would add one): it cuts a long paste silently.
        # The page counts as people type instead (static/length_counter.js reads
        # data-max-length), and the server refuses a message that is too long.
        # The counter's words, in the reader's language (%(length)s, %(max)s and %(over)s
        # are filled in by the script).
        render_kw={
            "rows": 3,
            "maxlength": False,
            "data-max-length": Message.MAX_LENGTH,
            "data-count-text": _l("%(length)s / %(max)s characters"),
            "data-over-text": _l("%(length)s / %(max)s characters: %(over)s too many"),
        },
    )
    submit = SubmitField(_l("Post"))


class EditMessageForm(MessageForm):
    submit = SubmitField(_l("Save"))
