"""What document providers share: the batch loading of one model's visible rows (by id, in
batches for a rebuild, counted), and the documents of a provider completed with the fields
other packages add to them (registry.register_field)."""
from sqlalchemy import func, select

from search_index import registry


class ModelProvider:
    """The loading half of a provider over one model with an integer `id`.

    Subclasses set `kind` and `model`, say in `visible()` which rows every reader may see,
    and write `load` and `cards` with `rows`; a row that is not visible is never indexed and
    never shown, whatever the index still holds.
    """

    kind = None
    model = None

    def visible(self):
        """The condition of the rows every reader may see (a SQL expression on `model`)."""
        raise NotImplementedError

    def rows(self, session, ids, *options):
        """The visible rows among `ids` (in no given order), loaded with `options`."""
        return session.scalars(
            select(self.model).where(self.model.id.in_(ids), self.visible())
            .options(*options)).all()

    def batches(self, session, size):
        """The ids of every visible row, in order, `size` at a time (for a rebuild)."""
        last = 0
        while True:
            ids = session.scalars(select(self.model.id).where(
                self.model.id > last, self.visible())
                .order_by(self.model.id).limit(size)).all()
            if not ids:
                return
            yield list(ids)
            last = ids[-1]

    def count(self, session):
        """How many rows a rebuild indexes."""
        return session.scalar(select(func.count()).select_from(self.model).where(
            self.visible()))


def load_documents(session, provider, ids):
    """{id: SearchDocument} of the `ids` `provider` has, with the fields other packages
    registered for its kind (an id left out is one the index must not hold)."""
    documents = provider.load(session, ids)
    if documents:
        for field, lookup in registry.state().fields.get(provider.kind, ()):
            for ident, values in lookup(session, list(documents)).items():
                document = documents.get(ident)
                if document is not None:
                    setattr(document, field, sorted({*getattr(document, field), *values}))
    return documents
