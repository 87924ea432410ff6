"""Who may do what with talks and visits: the app's capabilities, on top of the people app's.

The role grants are declared in ``plugin.py``; scope comes from ``zugong.people.access``.
"""

from zugong.people.access import Cap as PeopleCap


class Cap(PeopleCap):
    # Talks and visits: see talks and coverage in scope; read talk summaries of others
    # (sensitive, audited); record trigger events, section changes, visits and flags;
    # set the department's coverage rules and terms.
    TALKS_VIEW = "talks.view"
    TALKS_SENSITIVE = "talks.view_sensitive"
    TALKS_MANAGE = "talks.manage"
    TALKS_RULES = "talks.rules"
