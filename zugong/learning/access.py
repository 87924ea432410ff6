"""Who may do what in the learning area: the app's capabilities, on top of the people app's.

The role grants are declared in ``plugin.py``; scope comes from ``zugong.people.access``.
"""

from zugong.people.access import Cap as PeopleCap


class Cap(PeopleCap):
    # Learning: see records and compliance in scope; confirm or return them (and record
    # collective study for others); set the department's regime.
    LEARNING_VIEW = "learning.view"
    LEARNING_REVIEW = "learning.review"
    REGIME_MANAGE = "learning.regime"
