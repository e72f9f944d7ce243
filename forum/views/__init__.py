"""Forum blueprints: questions and answers, tags, user pages."""
