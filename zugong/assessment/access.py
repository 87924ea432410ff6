"""Who may do what in assessment: the app's capabilities, on top of the people app's.

The role grants are declared in ``plugin.py``; scope comes from ``zugong.people.access``.
"""

from zugong.people.access import Cap as PeopleCap


class Cap(PeopleCap):
    # Assessment: take part (score, see one's own results); leaders rate and keep the
    # everyday record of people in scope; the assessment office runs plans and results.
    ASSESS_VIEW = "assessment.view"
    ASSESS_LEAD = "assessment.lead"
    ASSESS_MANAGE = "assessment.manage"
