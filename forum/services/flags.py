"""Flags: members report posts to the moderators; the moderation queue reads them."""


def open_flag_groups():
    """The posts with open flags, `identifies_child` first, each with its flags."""
    # Filled in by the flags work of issue 15.
    return []
