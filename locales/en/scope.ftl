# Scope of programmes and personal data; JSON bodies; formula-safe files.
error-invalid-type = “{ $field }” has a wrong type or value: check the expected format.
error-json-syntax = The request body is not valid JSON: check brackets, commas and quotes.
field-body = Request body
error-programme-out-of-scope = “{ $field }” names a programme you do not coordinate: you can only import data of your own programmes.
error-network-out-of-scope = “{ $field }” names a network of a programme you do not coordinate: you can only import data of your own programmes.
error-person-out-of-scope = “{ $field }” names a person recorded by another programme: you cannot change them with an import.
