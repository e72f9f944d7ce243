"""Who may do what: the single place where role rules live."""


def _role(user, role):
    return user is not None and user.is_authenticated and user.has_role(role)


def is_moderator(user):
    """Moderators and admins."""
    return _role(user, "moderator")


def is_expert(user):
    """Experts and everyone above them."""
    return _role(user, "expert")


def is_author(user, post):
    return user is not None and user.is_authenticated and post.author_id == user.id


def can_edit(user, post):
    """The author edits their post; experts and moderators edit any post."""
    return is_author(user, post) or is_expert(user)


def can_delete(user, post):
    """The author or a moderator deletes and undeletes."""
    return is_author(user, post) or is_moderator(user)


def can_see_deleted(user, post):
    """Deleted posts stay visible to their author and to moderators only."""
    return is_author(user, post) or is_moderator(user)


def can_vote(user, post):
    """Any signed-in user, never on their own post."""
    return user is not None and user.is_authenticated and not is_author(user, post)


def can_accept(user, question):
    """The asker, or a moderator."""
    return is_author(user, question) or is_moderator(user)

