"""Ids in addresses and forms: the numbers every table's INTEGER keys can hold."""

# Every id, position and revision number is an INTEGER column, 32 bits on PostgreSQL: a larger
# number in a query fails there ("integer out of range"), and beyond 64 bits on SQLite too.
MAX_ID = 2 ** 31 - 1


def id_number(value):
    """`value` (text or int) as an id in 1..MAX_ID; raises ValueError otherwise.

    Usable as the `type` of `request.args.get`, which turns the ValueError into its default.
    """
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        raise ValueError(f"not an id: {text[:20]!r}")
    number = int(text)
    if not 1 <= number <= MAX_ID:
        raise ValueError(f"id out of range: {number}")
    return number
