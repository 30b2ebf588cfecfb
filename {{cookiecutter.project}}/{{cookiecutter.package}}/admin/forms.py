from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField
from wtforms.validators import InputRequired

from ..models import Role


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=list(Role.PERMISSIONS), validators=[InputRequired()])
    submit = SubmitField(_l("Change"))
