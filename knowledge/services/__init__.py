"""The knowledge base's services, one module per subject: notebooks and modules, articles,
their review, promotion from a thread, curation, drafting, redaction, offline export."""
