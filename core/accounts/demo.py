"""The accounts of the demo: one or more users of every role, with the password the command
prints (core.demo.demo_password)."""
from core import demo
from core.accounts import services as accounts
from core.extensions import db

ORDER = 10  # first: every other part writes as these users


def load_users(run):
    """Create the demo users (run.created["users"]: {username: User}) and print their
    passwords."""
    data = run.data
    users = run.created["users"] = {}
    for spec in data["users"]:
        users[spec["username"]] = accounts.create_user(
            spec["username"], spec["email"], demo.demo_password(spec["username"]),
            role=spec["role"], display_name=spec.get("display_name"), locale=spec.get("locale"),
            organisation=spec.get("organisation", ""), country=spec.get("country", ""))
        users[spec["username"]].bio = spec.get("bio", "")
        # Safeguarding alerts go to the leads: the demo names one.
        users[spec["username"]].safeguarding_lead = bool(spec.get("safeguarding_lead"))
    db.session.commit()
    for spec in data["users"]:
        run.echo(f"  {spec['role']:<10} {spec['username']:<20} password: "
                 f"{demo.demo_password(spec['username'])}"
                 + ("  (safeguarding lead)" if spec.get("safeguarding_lead") else ""))


def init_app(app):
    """Add the users to the demo."""
    demo.add_part(app, ORDER, load_users, present=lambda: bool(accounts.count_users()))
