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
