"""Which registered metrics the catalogue leaves out, and why.

Every other registered metric is covered by at least one figure of the catalogue (the
data migration preloads them; ``tests/test_catalogue.py`` checks both directions), so a
metric an app adds later fails that test until someone decides where it belongs.
"""

from django.utils.translation import gettext_lazy as _

_RATE = _("a share per person (a rate): adding it over people means nothing; its own page "
          "shows it for a unit")
EXCLUDED = {
    "assessment.learning_compliance": _RATE,
    "talks.coverage_rate": _RATE,
    "tasks.on_time_rate": _RATE,
    "tasks.weighted_completion": _RATE,
    "assessment.annual_score": _("a score: the sum of people's scores is no figure"),
    "care.hardships_supported": _("hardship records are read only with care.sensitive, and "
                                  "a count per section would point at the person"),
    "care.recuperations": _("health records are read only with care.sensitive"),
    "supervision.leads_received": _("supervision leads are confidential to the supervision "
                                    "office; a count per unit would point at the person"),
    "supervision.leads_closed": _("supervision leads are confidential (see above)"),
    "supervision.leads_cleared": _("supervision leads are confidential (see above)"),
    "supervision.leads_partly": _("supervision leads are confidential (see above)"),
    "supervision.leads_substantiated": _("supervision leads are confidential (see above)"),
    "supervision.leads_tolerated": _("supervision leads are confidential (see above)"),
}
