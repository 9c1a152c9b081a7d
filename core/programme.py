"""The programme's fixed dates, in one place (docs/domain.md: the pilot runs from October 2024).

Reporting periods (2025, 2026, the whole pilot) are rows of ``reports.ReportingPeriod``; what lives
here is only what every layer needs before those rows are read.
"""

import datetime

#: The day the pilot began: nothing the programme counts happened before it.
PILOT_START = datetime.date(2024, 10, 1)
