# Dates written out in full on public pages ("December 1, 2026"), as before translation.
# Spanish uses Django's own formats ("1 de diciembre de 2026").
DATE_FORMAT = "F j, Y"
