"""Signals other packages listen to, so that forum never imports them."""
from blinker import Namespace

_signals = Namespace()

# Sent inside the transaction that creates a question, before its commit: receivers add their
# own rows (knowledge links the question to a training module) and commit with it.
# Arguments: the question (sender) and `context`, the extra fields the ask form carried.
question_asked = _signals.signal("question-asked")

# Sent inside the transaction that soft-deletes a question, answer or comment, before its
# commit: receivers take the post's text out of what quotes it elsewhere (knowledge redacts
# the articles promoted from the thread) and commit with it.
# Arguments: the post (sender), `post_type` ("question", "answer" or "comment") and `actor`,
# the user who deleted it.
post_deleted = _signals.signal("post-deleted")

# Sent inside the transaction that redacts a question or an answer, before its commit:
# receivers take the redacted text out of what quotes it elsewhere and commit with it.
# Arguments: the post (sender), `post_type` ("question" or "answer"), `actor` (the
# moderator), and what left the post: `passage` (a passage redacted wherever it was; match it
# with forum.services.redaction.passage_pattern), or `texts` and `titles` (the lines and the
# title of a redacted revision that no other version of the post still shows). Receivers
# never store them.
post_redacted = _signals.signal("post-redacted")

# Sent inside the transaction that hides a question, answer or comment (a moderator's
# decision, or a second member's "identifies a child" flag), before its commit: receivers
# take its text out of what quotes it elsewhere, as for a deleted post. Showing the post again
# does not put the text back: an expert restores an article's quote by hand if it was safe.
# Arguments: the post (sender), `post_type` and `actor` (None for the system).
post_hidden = _signals.signal("post-hidden")
