# Social-planning districts (ambiti territoriali) and the matching of people on import.

entity-districts = Social-planning districts
field-person-tax-code = Person's tax code
error-district-name-differs = The field "{ $field }" gives this district code a different name from row { $first_line }: use the same name on every row of the district.
error-district-municipality-taken = The municipality in the field "{ $field }" already belongs to another district (in brackets) that the file does not list: a municipality is in one district at a time, so to move it include the district it leaves in the file too.
error-person-tax-code-taken = The "{ $field }" is already recorded for another person: check the code or the row's e-mail address.
warning-likely-duplicate = The same organisation already has a person with this "{ $field }" and another e-mail address (in brackets): a new record will be created. If it is the same person, correct the e-mail in the file.
import-warnings-caption = To check: rows that will be imported but look like duplicates
districts-title = Social-planning districts
districts-intro = Social-planning districts (ambiti territoriali, the areas of the local social plans) group municipalities; each municipality belongs to one district. They are loaded from a file, one row per municipality.
districts-search = District name or code
districts-name = District
districts-count = { $count ->
    [one] One district
   *[other] { $count } districts
}
districts-networks-link = Networks in { $name }
network-districts = Social-planning districts
networks-district = Social-planning district
