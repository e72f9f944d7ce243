"""Signals other packages listen to, so that forum never imports them."""
from blinker import Namespace

_signals = Namespace()

# Sent inside the transaction that creates a question, before its commit: receivers add their
# own rows (knowledge links the question to a training module) and commit with it.
# Arguments: the question (sender) and `context`, the extra fields the ask form carried.
question_asked = _signals.signal("question-asked")
