# Spanish as written in Puerto Rico and the United States: dates in words ("1 de diciembre
# de 2026", Django's own), but numbers and dollar amounts with a decimal point and a comma
# between thousands ("$1,250.00"), as readers here see them on every bill.
DATE_FORMAT = r"j \d\e F \d\e Y"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
