"""How long what people write in the forum may be: the services check it, the forms say it."""

TITLE_LENGTH = (10, 150)
BODY_LENGTH = (20, 30000)  # a question's body and an answer's
COMMENT_LENGTH = (5, 1000)
SUMMARY_LENGTH = 200  # an edit summary, cut to fit
