"""A corpus folder's own aliases (`aliases.toml` beside its manifest), read with the
shipped ones: the abbreviations a researcher's documents use, named without editing
continuity. Read as the corpus's other data files are (`manifest.read_toml`: inside the
folder, valid TOML, errors naming the file); what an alias is, `text.aliases`."""

from __future__ import annotations

from pathlib import Path

from ..errors import ManifestError
from ..text.aliases import Alias, aliases_of, shipped_aliases
from .manifest import read_toml

#: A corpus folder's own aliases, beside its manifest.
ALIASES_NAME = "aliases.toml"


def corpus_aliases(corpus_root: Path) -> tuple[Alias, ...]:
    """The shipped aliases and those of the corpus folder's `aliases.toml`, when it has
    one; a form already another name's is refused, naming the file."""
    path = Path(corpus_root) / ALIASES_NAME
    if not path.exists():
        return shipped_aliases()
    data = read_toml(path, "alias list")
    try:
        own = aliases_of(data, str(path), shipped_aliases())
    except ValueError as exc:
        raise ManifestError(str(exc)) from exc
    return shipped_aliases() + own
