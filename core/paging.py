"""A page of a list, for every list that pages by "newer/older" links."""
from dataclasses import dataclass


@dataclass
class Page:
    """One page of a list: its items and whether there is a next one."""

    items: list
    number: int
    has_next: bool

    @property
    def has_previous(self):
        return self.number > 1
