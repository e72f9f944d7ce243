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
from itertools import chain
from operator import sub

import numpy as np
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.compat import dumps
from whoosh.system import pack_int, pack_long, pack_uint, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

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

    def __init__(self, index):
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
        postfile = fieldwriter._postfile
        tindex = fieldwriter._tindex
        boosts = np.frombuffer(self.boosts, dtype=np.float64) if self._boosted else None
        for name in sorted(self.postings):
            postings = self.postings.pop(name)
            if not postings.numbers:
                continue
            field = self.schema[name]
            fieldwriter.start_field(name, field)
            prefix = pack_ushort(fieldwriter._fieldid)
            lengths = self.lengths.get(name)
            if lengths is not None:
                # Whoosh's lengths column keeps one lossy byte a document: block statistics
                # are taken from the length it reads back.
                decoded = np.array([byte_to_length(value) for value in range(256)],
                                   dtype=np.int64)
                encoded = np.array([length_to_byte(value) for value in lengths],
                                   dtype=np.int64)
                lengths = decoded[encoded].tolist() if len(encoded) else []
            _write_field(postfile, tindex, prefix, field, postings, lengths, boosts)
            fieldwriter.finish_field()
        fieldwriter.close()
        writer._close_segment()
        writer._assemble_segment()
        writer._commit_toc([writer.get_segment()])
        writer._finish()


def _splits_on_spaces(field):
    expression = getattr(getattr(field, "analyzer", None), "expression", None)
    return expression is not None and expression.pattern == TERM_RE.pattern


def _write_field(postfile, tindex, prefix, field, postings, lengths, boosts):
    """Every term of one field, in the order of their bytes, with its posting list."""
    terms = np.frombuffer(postings.terms, dtype=np.uint32)
    counts = np.frombuffer(postings.counts, dtype=np.uint32)
    docnums = np.repeat(np.arange(len(counts), dtype=np.uint32), counts)
    # Stable: each term's postings stay in the order of their documents.
    order = np.argsort(terms, kind="stable")
    bounds = np.concatenate(([0], np.cumsum(np.bincount(terms, minlength=len(
        postings.numbers))))).tolist()
    sorted_docnums = docnums[order]
    frequencies = np.frombuffer(postings.frequencies, dtype=np.uint32)[order]
    if boosts is not None:
        # As Whoosh: the weight is computed in double and stored in single precision, and a
        # block's maximum is taken before rounding.
        exact = frequencies * boosts[sorted_docnums]
        weights = (exact.astype(np.float32).tolist(), exact.tolist())
    else:
        weights = None
    sorted_docnums = sorted_docnums.tolist()
    frequencies = frequencies.tolist()
    del order, docnums, terms
    encode = field.to_bytes
    keyed = sorted(((term if isinstance(term, bytes) else encode(term)), number)
                   for term, number in postings.numbers.items())
    has_values = bool(field.format.posting_size)
    # The codec's files, written directly: one call per term instead of a dozen.
    write = postfile.file.write
    offset = postfile.tell()
    table = tindex.dbfile
    table_write = table.file.write
    table_offset = table.tell()
    positions = tindex.index.append
    buckets = tindex.buckets
    hashed = tindex.hashfn
    pack_lengths = _LENGTHS.pack
    last_key = tindex.lastkey
    for btext, number in keyed:
        start, end = bounds[number], bounds[number + 1]
        if weights is None:
            stored = exact = frequencies[start:end]
        else:
            stored, exact = weights[0][start:end], weights[1][start:end]
        block, info = _postings_bytes(sorted_docnums[start:end], frequencies[start:end],
                                      stored, exact, lengths, has_values)
        write(block)
        info += pack_long(offset) + pack_int(len(block))
        offset += len(block)
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


def _postings_bytes(docnums, frequencies, weights, exact, lengths, has_values):
    """One term's posting list as W3PostingsWriter writes it, and its W3TermInfo's bytes
    but for the list's place in the file.

    `weights` are as stored (single precision), `exact` as computed (a block's maximum).
    The bytes are W3PostingsWriter's, byte for byte (see COMPRESS_FROM).
    """
    parts = [WHOOSH3_HEADER_MAGIC]
    total = len(docnums)
    total_weight = 0
    min_length = None
    max_length = 0
    max_weight = 0
    for start in range(0, total, BLOCK):
        end = min(start + BLOCK, total)
        ids = docnums[start:end]
        block_weights = weights[start:end]
        first = block_weights[0]
        if first == 1 and block_weights.count(1) == len(block_weights):
            mini_weights = None
        elif block_weights.count(first) == len(block_weights):
            mini_weights = float(first)
        else:
            mini_weights = tuple(map(float, block_weights))
        values = (b"".join(map(pack_uint, frequencies[start:end])) if has_values else None)
        data = dumps((tuple(map(sub, ids, chain((0,), ids))), mini_weights, values), 2)
        if len(data) < COMPRESS_FROM:
            compression = 0
        else:
            compression = 3
            data = zlib.compress(data, 3)
        block_max_weight = float(max(0, max(exact[start:end])))
        block_min_length = None
        block_max_length = 0
        if lengths is not None:
            block_lengths = [length for length in map(lengths.__getitem__, ids) if length]
            if block_lengths:
                block_min_length, block_max_length = min(block_lengths), max(block_lengths)
        info = dumps((len(ids), ids[-1], block_max_weight, compression,
                      length_to_byte(block_min_length), length_to_byte(block_max_length)), 2)
        size = len(info) + len(data)
        parts += (pack_int(-size if end == total else size), info, data)
        total_weight += sum(map(float, block_weights))
        if min_length is None:
            min_length = block_min_length
        elif block_min_length is not None:
            min_length = min(min_length, block_min_length)
        max_length = max(max_length, block_max_length)
        max_weight = max(max_weight, block_max_weight)
    return b"".join(parts), W3TermInfo._struct.pack(
        False, total_weight, total, 0 if min_length is None else length_to_byte(min_length),
        length_to_byte(max_length), max_weight, docnums[0], docnums[-1])


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
