# Field names of the JSON API's errors.
field-actions = Azioni
field-budget-cents = Budget (centesimi di euro)
field-programme-id = Programma
