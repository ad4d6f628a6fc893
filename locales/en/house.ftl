# Field names of the JSON API's errors.
field-actions = Actions
field-budget-cents = Budget (euro cents)
field-programme-id = Programme
