"""Writing a whole Whoosh index in one go, for `flask search rebuild`.

Whoosh's writer handles every posting in Python several times over: it tokenizes the field
again, pickles each posting into a sort pool, spills and merges runs on disk, reads each
document's field length back from a column file, then feeds the codec one posting at a time
(tens of µs a posting, ~240 postings a post: 340 posts/s). Here a document's terms (already
analysed, space separated) are counted in C and kept as arrays of term numbers; at commit
each field's postings are grouped by term with numpy, and each term's posting list is
written in the W3 codec's own block format (the bytes W3PostingsWriter writes: pickled,
zlib-compressed blocks of 128 postings, with the same term statistics). The segment is the
one a SegmentWriter would make, read by whoosh_matching and by Whoosh unchanged
(tests/search_index/test_whoosh_bulk.py compares them posting by posting). Stored fields,
field lengths and sortable columns still go through Whoosh's per-document writer.
"""
import multiprocessing
import os
import re
import struct
import traceback
import zlib
from array import array
from collections import Counter

import numpy as np
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.compat import dumps
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import byte_to_length

# Whoosh's SpaceSeparatedTokenizer: "\x1f" (the content field's separator) is a term here,
# although str.split() would take it for a space.
TERM_RE = re.compile(r"[^ \t\r\n]+")
# Postings in a block, as the W3 codec writes them.
BLOCK = 128
# A block's pickle shorter than this would be stored uncompressed (the reader allows it).
# 0: every block compressed, as Whoosh does; storing small ones plain (96) wrote faster but
# measured 10-20 % slower queries in back-to-back runs at 20,000 posts.
COMPRESS_FROM = 0
_LENGTHS = struct.Struct("!ii")  # a hash file's record: key and value lengths
# Blocks of postings from which the commit shares its work with a forked helper (a rebuild
# of 1,000 posts has about 15,000).
HELPER_FROM = 100_000


class _FieldPostings:
    """The postings of one field while documents are added: term numbers, per document."""

    def __init__(self):
        self.numbers = {}  # term (str, or bytes for fields Whoosh encodes) -> term number
        self.terms = array("I")  # term number of each posting, document after document
        self.frequencies = array("I")
        self.counts = array("I")  # postings of each document (0 when it has none)

    def add(self, counts):
        numbers = self.numbers
        setdefault = numbers.setdefault
        self.terms.extend([setdefault(term, len(numbers)) for term in counts])
        self.frequencies.extend(counts.values())
        self.counts.append(len(counts))

    def skip(self):
        self.counts.append(0)


class BulkWriter:
    """Adds documents to a new, empty index and writes them as its one segment on `commit`.

    It holds the index's write lock like any writer. `add(fields)` takes what
    `writer.add_document(**fields)` would, plus `_boost` (multiplies the weight of every term
    of the document, as Whoosh does).
    """

    def __init__(self, index, helper_from=HELPER_FROM):
        self.helper_from = helper_from
        self.writer = index.writer()
        self.schema = self.writer.schema
        self.names = set(self.schema.names())
        self.postings = {name: _FieldPostings() for name in self.schema.names()
                         if self.schema[name].indexed}
        # Whoosh keeps the lengths of scorable fields only.
        self.lengths = {name: array("I") for name in self.postings
                        if self.schema[name].scorable}
        # Fields whose analyzer only splits on spaces: their terms are counted here.
        self._plain = {name for name in self.postings if _splits_on_spaces(self.schema[name])}
        self.boosts = array("d")
        self._boosted = False

    def add(self, fields):
        """Add one document; nothing of it is kept if a value is refused."""
        writer = self.writer
        schema = self.schema
        names = sorted(name for name in fields
                       if not name.startswith("_") and fields[name] is not None)
        unknown = set(names) - self.names
        if unknown:
            raise ValueError(f"no field named {sorted(unknown)[0]!r} in the schema")
        boost = float(fields.get("_boost", 1.0))
        indexed = {}
        for name in names:
            field = schema[name]
            if not field.indexed:
                continue
            value = fields[name]
            if name in self._plain:
                found = TERM_RE.findall(value)
                counts = (Counter(found) if field.format.posting_size
                          else dict.fromkeys(found, 1))
                indexed[name] = (counts, len(found))
            else:
                counts = {}
                for tbytes, freq, _weight, _vbytes in field.index(value):
                    counts[tbytes] = counts.get(tbytes, 0) + freq
                indexed[name] = (counts, sum(counts.values()))
        columns = [(name, schema[name].column_type,
                    schema[name].to_column_value(fields[name]))
                   for name in names if schema[name].column_type]

        perdoc = writer.perdocwriter
        perdoc.start_doc(writer.docnum)
        try:
            for name in names:
                field = schema[name]
                length = indexed[name][1] if name in indexed and name in self.lengths else 0
                perdoc.add_field(name, field, fields[name] if field.stored else None, length)
            for name, column, value in columns:
                perdoc.add_column_value(name, column, value)
        except BaseException:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        for name, postings in self.postings.items():
            if name in indexed:
                postings.add(indexed[name][0])
            else:
                postings.skip()
        for name, lengths in self.lengths.items():
            lengths.append(indexed[name][1] if name in indexed else 0)
        self.boosts.append(boost)
        self._boosted = self._boosted or boost != 1.0
        writer._added = True
        writer.docnum += 1

    def cancel(self):
        """Drop everything and release the lock."""
        if not self.writer.is_closed:
            self.writer.cancel()

    def commit(self):
        """Write the segment and make it the index's only one."""
        writer = self.writer
        if not writer._added:
            writer.commit()
            return
        writer.perdocwriter.close()
        fieldwriter = writer.fieldwriter
        boosts = np.frombuffer(self.boosts, dtype=np.float64) if self._boosted else None
        fields = []
        for name in sorted(self.postings):
            postings = self.postings.pop(name)
            if not postings.numbers:
                continue
            field = self.schema[name]
            lengths = self.lengths.get(name)
            if lengths is not None:
                # Whoosh's lengths column keeps one lossy byte a document: block statistics
                # are taken from the length it reads back.
                lengths = _LENGTH_CACHE[_length_bytes(
                    np.frombuffer(lengths, dtype=np.uint32).astype(np.int64))]
            keys, blocks = _field_blocks(field, postings, lengths, boosts)
            fields.append((name, field, keys, blocks))
        helper = _Helper.start(fields, self.helper_from)
        try:
            for number, (name, field, keys, blocks) in enumerate(fields):
                fieldwriter.start_field(name, field)
                middle = blocks.middle() if helper else len(keys)
                _write_terms(fieldwriter, keys[:middle], blocks.encode(0, middle))
                if helper:
                    _write_terms(fieldwriter, keys[middle:], helper.receive(number))
                fieldwriter.finish_field()
        finally:
            if helper:
                helper.stop()
        fieldwriter.close()
        writer._close_segment()
        writer._assemble_segment()
        writer._commit_toc([writer.get_segment()])
        writer._finish()


def _splits_on_spaces(field):
    expression = getattr(getattr(field, "analyzer", None), "expression", None)
    return expression is not None and expression.pattern == TERM_RE.pattern


def _field_blocks(field, postings, lengths, boosts):
    """A field's terms as the bytes of their keys, in order, and their posting lists."""
    terms = np.frombuffer(postings.terms, dtype=np.uint32)
    counts = np.frombuffer(postings.counts, dtype=np.uint32)
    encode = field.to_bytes
    keyed = sorted(((term if isinstance(term, bytes) else encode(term)), number)
                   for term, number in postings.numbers.items())
    # Term numbers in the order of their keys, and the postings in that order; a stable
    # sort keeps each term's postings in the order of their documents.
    rank = np.empty(len(keyed), dtype=np.int64)
    rank[np.fromiter((number for _key, number in keyed), dtype=np.int64,
                     count=len(keyed))] = np.arange(len(keyed), dtype=np.int64)
    ranked = rank[terms]
    order = np.argsort(ranked, kind="stable")
    per_term = np.bincount(ranked, minlength=len(keyed))
    docnums = np.repeat(np.arange(len(counts), dtype=np.int64), counts)[order]
    frequencies = np.frombuffer(postings.frequencies, dtype=np.uint32)[order]
    return [key for key, _number in keyed], _Blocks(
        docnums, frequencies, per_term, lengths, boosts, bool(field.format.posting_size))


def _write_terms(fieldwriter, keys, encoded):
    """Terms and their posting lists, encoded by `_Blocks.encode`, at the end of the
    codec's files: one write for the lists, one record a term in the terms table."""
    lists, sizes, infos = encoded
    postfile = fieldwriter._postfile
    tindex = fieldwriter._tindex
    offset = postfile.tell()
    postfile.file.write(lists)
    dbfile = tindex.dbfile
    table_write = dbfile.file.write
    table_offset = dbfile.tell()
    positions = tindex.index.append
    buckets = tindex.buckets
    hashed = tindex.hashfn
    pack_lengths = _LENGTHS.pack
    prefix = pack_ushort(fieldwriter._fieldid)
    last_key = tindex.lastkey
    for btext, size, info in zip(keys, sizes, infos):
        info += pack_long(offset) + pack_int(size)
        offset += size
        key = prefix + btext
        if key <= last_key:
            raise ValueError(f"keys must increase: {last_key!r}..{key!r}")
        last_key = key
        positions(table_offset)
        table_write(pack_lengths(len(key), len(info)) + key + info)
        code = hashed(key)
        buckets[code & 255].append((code, table_offset))
        table_offset += 8 + len(key) + len(info)
    tindex.lastkey = last_key


_LENGTH_CACHE = np.array([byte_to_length(value) for value in range(256)], dtype=np.int64)
_NO_LENGTH = np.iinfo(np.int64).max


def _length_bytes(values):
    """`length_to_byte` of each value (an array of lengths as Whoosh decodes them); 0 for
    _NO_LENGTH, as for None."""
    return np.where(values == _NO_LENGTH, 0, np.where(
        values >= 106374, 255, np.searchsorted(_LENGTH_CACHE, values)))


class _Blocks:
    """The posting lists of one field's terms as W3PostingsWriter writes them, and their
    W3TermInfo bytes but for the list's place in the file.

    The figures of every block (its weights' maximum, sum and kind, its documents' shortest
    and longest lengths) and of every term are taken with numpy over the whole field at
    once; what is left per block is pickling and compressing it. The bytes are
    W3PostingsWriter's, byte for byte (see COMPRESS_FROM).
    """

    def __init__(self, docnums, frequencies, per_term, lengths, boosts, has_values):
        term_starts = np.concatenate(([0], np.cumsum(per_term)[:-1])).astype(np.int64)
        blocks_of = (per_term + BLOCK - 1) // BLOCK
        # Block starts: each term's start, then every BLOCK postings within the term.
        block_term = np.repeat(np.arange(len(per_term)), blocks_of)
        first_block = np.concatenate(([0], np.cumsum(blocks_of))).astype(np.int64)
        within = np.arange(len(block_term)) - first_block[block_term]
        starts = term_starts[block_term] + within * BLOCK
        ends = np.minimum(starts + BLOCK, (term_starts + per_term)[block_term])
        if boosts is not None:
            # As Whoosh: the weight is computed in double and stored in single precision,
            # and a block's maximum is taken before rounding.
            exact = frequencies * boosts[docnums]
            stored = exact.astype(np.float32).astype(np.float64)
        else:
            exact = stored = frequencies.astype(np.float64)
        block_max = np.maximum.reduceat(exact, starts)
        block_low = np.minimum.reduceat(stored, starts)
        block_high = np.maximum.reduceat(stored, starts)
        if lengths is not None:
            doc_lengths = lengths[docnums]
            shortest = np.minimum.reduceat(
                np.where(doc_lengths > 0, doc_lengths, _NO_LENGTH), starts)
            longest = np.maximum.reduceat(doc_lengths, starts)
        else:
            shortest = np.full(len(starts), _NO_LENGTH)
            longest = np.zeros(len(starts), dtype=np.int64)
        previous = np.concatenate(([0], docnums[:-1]))
        previous[starts] = 0
        self.deltas = docnums - previous
        self.docnums = docnums
        self.stored = stored
        self.values = frequencies.astype(">u4") if has_values else None
        self.starts, self.ends = starts, ends
        self.block_max = block_max
        # 0: every weight is 1 (None is stored); 1: all equal (one float); 2: a tuple.
        self.kinds = np.where((block_low == block_high) & (block_low == 1), 0,
                              np.where(block_low == block_high, 1, 2))
        self.min_bytes = _length_bytes(shortest)
        self.max_bytes = _length_bytes(longest)
        self.first_block = first_block
        term_blocks = first_block[:-1]
        self.term_weight = np.add.reduceat(np.add.reduceat(stored, starts), term_blocks)
        self.term_max = np.maximum.reduceat(block_max, term_blocks)
        self.term_min_byte = _length_bytes(np.minimum.reduceat(shortest, term_blocks))
        self.term_max_byte = _length_bytes(np.maximum.reduceat(longest, term_blocks))
        self.per_term = per_term

    def middle(self):
        """The term that splits the field's blocks in two halves of about the same work."""
        half = self.first_block[-1] // 2
        return int(np.searchsorted(self.first_block, half))

    def encode(self, first, last):
        """Terms `first` to `last` (excluded): their lists' bytes end to end, the size of
        each list, and each term's info without its list's place."""
        if first >= last:
            return b"", [], []
        block_from, block_to = int(self.first_block[first]), int(self.first_block[last])
        base = int(self.starts[block_from])
        end_at = int(self.ends[block_to - 1])
        deltas = self.deltas[base:end_at].tolist()
        docnums = self.docnums[base:end_at].tolist()
        stored = self.stored[base:end_at].tolist()
        values = self.values[base:end_at].tobytes() if self.values is not None else None
        starts = (self.starts[block_from:block_to] - base).tolist()
        ends = (self.ends[block_from:block_to] - base).tolist()
        kinds = self.kinds[block_from:block_to].tolist()
        block_max = self.block_max[block_from:block_to].tolist()
        min_bytes = self.min_bytes[block_from:block_to].tolist()
        max_bytes = self.max_bytes[block_from:block_to].tolist()
        bounds = (self.first_block[first:last + 1] - block_from).tolist()
        term_info = zip(self.term_weight[first:last].tolist(),
                        self.per_term[first:last].tolist(),
                        self.term_min_byte[first:last].tolist(),
                        self.term_max_byte[first:last].tolist(),
                        self.term_max[first:last].tolist())
        pack_info = _TERM_INFO.pack
        parts, sizes, infos = [], [], []
        for term, (weight, count, min_byte, max_byte, max_weight) in enumerate(term_info):
            size = len(WHOOSH3_HEADER_MAGIC)
            parts.append(WHOOSH3_HEADER_MAGIC)
            top = bounds[term + 1]
            for block in range(bounds[term], top):
                start, end = starts[block], ends[block]
                kind = kinds[block]
                if kind == 0:
                    mini_weights = None
                elif kind == 1:
                    mini_weights = stored[start]
                else:
                    mini_weights = tuple(stored[start:end])
                data = dumps((tuple(deltas[start:end]), mini_weights,
                              values[start * 4:end * 4] if values is not None else None), 2)
                if len(data) < COMPRESS_FROM:
                    compression = 0
                else:
                    compression = 3
                    data = zlib.compress(data, 3)
                info = dumps((end - start, docnums[end - 1], block_max[block], compression,
                              min_bytes[block], max_bytes[block]), 2)
                length = len(info) + len(data)
                parts += (pack_int(-length if block == top - 1 else length), info, data)
                size += 4 + length
            sizes.append(size)
            infos.append(pack_info(False, weight, count, min_byte, max_byte, max_weight,
                                   docnums[starts[bounds[term]]],
                                   docnums[ends[top - 1] - 1]))
        return b"".join(parts), sizes, infos


class _Helper:
    """A forked process that encodes the second half of each field's terms while this one
    encodes the first: the commit's share of a rebuild, on both cores."""

    def __init__(self, process, connection):
        self.process, self.connection = process, connection

    @classmethod
    def start(cls, fields, threshold):
        """A helper for `fields`, or None when they are too few to be worth a process or
        this process may not fork."""
        if sum(int(blocks.first_block[-1]) for *_rest, blocks in fields) < threshold:
            return None
        try:
            context = multiprocessing.get_context("fork")
            parent, child = context.Pipe(duplex=False)
            process = context.Process(target=_encode_halves, args=(fields, child))
            process.start()
        except (ValueError, AssertionError, OSError):
            return None
        child.close()
        return cls(process, parent)

    def receive(self, number):
        """The second half of field `number`, encoded."""
        try:
            got, status, detail = self.connection.recv()
        except (EOFError, OSError) as error:
            raise RuntimeError(f"the index writer's helper stopped: {error}") from error
        if status != "ok" or got != number:
            raise RuntimeError(f"the index writer's helper failed: {detail}")
        return detail

    def stop(self):
        """Wait for the helper (it has sent everything, or it is killed)."""
        if self.process.is_alive():
            self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()


def _encode_halves(fields, connection):
    """The helper: the second half of each field's terms, sent field after field."""
    try:
        for number, (*_rest, keys, blocks) in enumerate(fields):
            connection.send((number, "ok", blocks.encode(blocks.middle(), len(keys))))
    except BaseException:  # noqa: BLE001 — reported to the writer, which raises
        try:
            connection.send((None, "error", traceback.format_exc()))
        except (EOFError, OSError):
            pass
    finally:
        os._exit(0)


_TERM_INFO = W3TermInfo._struct


class SplitWriter:
    """A BulkWriter for a rebuild that uses both cores once the index is worth it.

    The caller (analysis, thesaurus, the database) keeps one core; the first `threshold`
    documents are held back, and if more come a second process is forked that gathers the
    postings and writes the segment, fed in batches through a pipe (pickled strings cost far
    less than what they save). A small index, or a process that may not fork (a daemonic
    one), is written here. Values must be checked before `add`: a document the writer
    refuses fails the whole rebuild.
    """

    def __init__(self, index, threshold=2000, batch=200):
        self.index = index
        self.threshold = threshold
        self.batch = batch
        self._held = []
        self._process = None
        self._connection = None
        self._local = None

    def add(self, fields):
        """Add one document's fields."""
        if self._local is not None:
            self._local.add(fields)
            return
        self._held.append(fields)
        if self._process is None and len(self._held) >= self.threshold:
            self._start()
        if self._process is not None and len(self._held) >= self.batch:
            self._send()

    def commit(self):
        """Write the segment (waits for the second process)."""
        if self._process is None:
            if self._local is None:
                self._go_local()
            self._local.commit()
            return
        self._send()
        self._call(self._connection.send, None)
        status, detail = self._call(self._connection.recv)
        self._process.join()
        self._process = None
        if status != "ok":
            raise RuntimeError(f"the index writer failed: {detail}")

    def cancel(self):
        """Stop without writing anything."""
        if self._local is not None:
            self._local.cancel()
        if self._process is not None:
            self._process.kill()
            self._process.join()
            self._process = None

    def _start(self):
        try:
            context = multiprocessing.get_context("fork")
            parent, child = context.Pipe()
            process = context.Process(target=_serve, args=(self.index.storage.folder, child))
            process.start()
        except (ValueError, AssertionError, OSError):
            # No fork here (another platform, a daemonic process): one core it is.
            self._go_local()
            return
        child.close()
        self._process, self._connection = process, parent

    def _go_local(self):
        self._local = BulkWriter(self.index)
        held, self._held = self._held, []
        for fields in held:
            self._local.add(fields)

    def _send(self):
        if self._held:
            self._call(self._connection.send, self._held)
            self._held = []

    def _call(self, method, *args):
        try:
            return method(*args)
        except (EOFError, OSError) as error:
            # The writer stopped: say why, if it could.
            detail = ""
            if self._connection.poll(1):
                try:
                    detail = self._connection.recv()[1]
                except (EOFError, OSError):
                    pass
            raise RuntimeError(f"the index writer stopped: {detail or error}") from error


def _serve(directory, connection):
    """The second process of a SplitWriter: gather the batches, write the segment."""
    status = "ok"
    detail = None
    try:
        writer = BulkWriter(whoosh_index.open_dir(directory))
        while (batch := connection.recv()) is not None:
            for fields in batch:
                writer.add(fields)
        writer.commit()
    except BaseException:  # noqa: BLE001 — reported to the parent, which raises
        status, detail = "error", traceback.format_exc()
    try:
        connection.send((status, detail))
    finally:
        # Nothing of the parent's (its database connections, atexit hooks) runs here.
        os._exit(0)
