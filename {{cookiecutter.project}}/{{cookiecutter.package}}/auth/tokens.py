"""The API tokens page: a user's tokens, making one (shown once), revoking one.

Changing the password does not revoke tokens (a script keeps working); revoking is done
here, or with `flask users revoke-token`. Deleting a user deletes their tokens.
"""

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, fresh_login_required, login_required

from ..audit import log_event
from ..extensions import db
from ..models import ApiToken
from . import bp
from .forms import ApiTokenForm


@bp.route("/tokens", methods=["GET", "POST"])
@fresh_login_required  # a token outlives sessions: making one needs the password again
def tokens():
    form = ApiTokenForm()
    new_token = None
    if form.validate_on_submit():
        token, new_token = ApiToken.issue(current_user, form.name.data)
        try:
            db.session.commit()
        except sa.exc.IntegrityError:
            # The same name, made between the form's check and this insert (a double click).
            db.session.rollback()
            form.name.errors.append(_("You already have a token with that name."))
            new_token = None
        else:
            log_event("api token created", current_user, name=token.name)
            form = ApiTokenForm(formdata=None)
    user_tokens = db.session.scalars(
        sa.select(ApiToken)
        .filter_by(user_id=current_user.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ).all()
    page = render_template("auth/tokens.html", form=form, tokens=user_tokens, new_token=new_token)
    # The new token is in this page only: never in a cache, nor in the session (a redirect
    # would have to carry it there).
    return page, {"Cache-Control": "no-store"}


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id):
    # Another user's token is a 404, like one that does not exist.
    token = db.first_or_404(sa.select(ApiToken).filter_by(id=token_id, user_id=current_user.id))
    name = token.name
    db.session.delete(token)
    db.session.commit()
    log_event("api token revoked", current_user, name=name)
    flash(_("The token %(name)s is revoked: it no longer works.", name=name), "success")
    return redirect(url_for(".tokens"))
