import logging
from functools import wraps

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, fresh_login_required

from ..audit import log_event
from ..extensions import db
from ..models import Permission, Role, User
from . import bp
from .forms import RoleForm

USERS_PER_PAGE = 50


def admin_required(view):
    """403 for anyone but administrators (put it under @fresh_login_required)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_administrator:
            abort(403)  # logged by audit.log_forbidden
        return view(*args, **kwargs)

    return wrapper


@bp.get("/users")
@fresh_login_required
@admin_required
def users():
    page = db.paginate(
        sa.select(User).order_by(User.id), per_page=USERS_PER_PAGE, max_per_page=USERS_PER_PAGE
    )
    # One role form per row, showing the user's role now; change_role() validates it.
    forms = {user.id: RoleForm(formdata=None, role=user.role.name) for user in page.items}
    return render_template("admin/users.html", page=page, forms=forms)


@bp.post("/users/<int:user_id>/role")
@fresh_login_required
@admin_required
def change_role(user_id):
    user = db.get_or_404(User, user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(_("Choose one of the roles."), "danger")
        return redirect(url_for("admin.users"))
    role = db.session.scalar(sa.select(Role).filter_by(name=form.role.data))
    demoted = user.is_administrator and not role.has_permission(Permission.ADMIN)
    if demoted and user.is_last_administrator():
        flash(
            _(
                "%(username)s is the last administrator: make someone else an "
                "administrator first.",
                username=user.username,
            ),
            "danger",
        )
        return redirect(url_for("admin.users"))
    old_role = user.role.name
    user.role = role
    db.session.commit()
    log_event(
        "role changed",
        current_user,
        level=logging.WARNING,
        target=f"{user.id}:{user.username}",
        old=old_role,
        new=role.name,
    )
    flash(
        _("%(username)s is now in the role %(role)s.", username=user.username, role=role.name),
        "success",
    )
    return redirect(url_for("admin.users"))
