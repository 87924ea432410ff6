"""Who may do what with the task ledger: the app's capabilities, on top of the people app's.

The role grants are declared in ``plugin.py``; scope comes from ``zugong.people.access``.
"""

from zugong.people.access import Cap as PeopleCap


class Cap(PeopleCap):
    # Tasks: everyone reads and updates the tasks in their scope; leaders assign, dispatch
    # and approve sign-offs; the head approves carry-overs and clears the year.
    TASKS_VIEW = "tasks.view"
    TASKS_LEAD = "tasks.lead"
    TASKS_HEAD = "tasks.head"
