"""`kkctl import`: turn the structure a company already keeps elsewhere (a staff table, a
Backstage catalog, a GitHub organisation's Peribolos configuration) into a format-v1 project,
and keep it in step on later runs without touching anything written by hand.

Each source kind has a reader (:mod:`.staff`, :mod:`.backstage`, :mod:`.peribolos`) that
returns one :class:`~kkctl.importing.core.Structure`: people, teams, memberships and the
problems found in the source. :mod:`.writer` matches it against the project (ids stay stable,
leavers get ``to:``) and edits only people and teams with the round-trip writer of
``kkctl fmt``; :mod:`.app` is the command's function.
"""
