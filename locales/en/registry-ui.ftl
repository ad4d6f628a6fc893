## Registry: pages

## Common actions
actions = Actions
add = Add
archive = Archive
archived = Archived
restore = Restore
edit = Edit
save = Save
remove = Remove
choose = Choose…
details = Details
search = Search
search-label = Search by name or code
filter-include-archived = Show archived records too
flash-archived = Record archived: it no longer shows in lists; its history stays.
flash-restored = Record restored.
pagination-position = Page { $page } of { $pages }
nav-networks = Networks
nav-organisations = Organisations
nav-people = People
nav-programmes = Programmes

## More fields
field-name-organisation = Name
field-name-network = Network name
field-name-programme = Programme name
field-organisation-id = Organisation
field-region = Region
field-cadastral-code = Cadastral code
field-title = Title
field-budget = Budget (euro)
field-starts-on = Start date
field-ends-on = End date
field-period = Period
field-fund = Fund
field-cup = CUP
field-number = Number
field-action = Action
field-action-title = Action
field-planned-outputs = Planned outputs
field-target-groups = Target groups
tax-code-hint = The 11 digits of the VAT number or the 16 characters of the tax code.
municipality-hint = The municipality's name (accents optional) or ISTAT code; if the name exists in several provinces, give the province.
municipalities-hint = Municipality names or ISTAT codes, separated by commas or one per line.
resources-hint = Separated by commas: pick from the suggestions or write new ones.
budget-hint = For example 12.500,00.

## Errors
error-organisation-unknown = “{ $field }” names an organisation that is not in the registry: import or create the organisation first, then try again.
error-programme-unknown = “{ $field }” is not a registered programme: use the programme's code, e.g. PROG-2463.
error-action-line-invalid = “{ $field }” contains an action line the programme does not have: use the line's number, e.g. 1 or 2.
error-network-unknown = “{ $field }” names a network that does not exist: check the name or create the network first.
error-network-ambiguous = “{ $field }” is a name used by several networks: make the name unique before importing.
error-network-name-taken = The programme already has a network with this “{ $field }”: choose another.
error-lead-exists = The network already has a lead partner: end its membership before naming another in “{ $field }”.
error-already-member = The organisation in “{ $field }” is already a member of the network.
error-tax-code-taken = Another organisation already has this “{ $field }”: find the existing one and edit it.
error-amount-invalid = “{ $field }” is not a valid amount: write e.g. 12.500,00.
error-number-invalid = “{ $field }” must be a whole number from 1 to 99.

## Organisations
organisations-title = Organisations
organisations-count = { $count ->
    [one] One organisation.
   *[other] { $count } organisations.
}
organisation-new = New organisation
organisation-edit = Edit organisation
organisation-networks = Networks it belongs to
organisation-no-networks = The organisation belongs to no network.
back-to-organisations = ← All organisations

## People
people-title = People
people-intro = Only the people who work in the programme (coordinators, practitioners, experts) are recorded here. The people the projects serve are never recorded by name.
people-count = { $count ->
    [one] One person.
   *[other] { $count } people.
}
person-new = New person
person-edit = Edit person
person-affiliations = Organisations
affiliation-end = End
affiliation-ended = Ended
back-to-people = ← All people

## Networks
networks-title = Local networks
networks-count = { $count ->
    [one] One network.
   *[other] { $count } networks.
}
network-new = New network
network-edit = Edit network
network-territory = Territory
network-members = Member organisations
network-membership-history = Membership history
network-people = Contact people
network-no-people = No people are recorded for the network's organisations.
network-projects = Local projects
network-no-projects = No local project recorded.
network-private-note = Memberships with their dates, contacts and the network's projects are visible only to its members, its facilitators and the regional coordination.
membership-add = Add an organisation to the network
membership-end = End membership
membership-ended = Membership ended
back-to-networks = ← All networks

## Local projects
project-new = New local project
project-edit = Edit local project
project-actions = Actions
project-no-actions = No action recorded.
project-action-add = Add an action

## Programmes
programmes-title = Programmes
programme-edit = Edit the programme
action-line-put = Add or rename an action line

## Municipalities
municipalities-title = Italian municipalities
municipalities-search = Municipality name or ISTAT code
municipalities-count = { $count ->
    [one] One municipality found.
   *[other] { $count } municipalities found.
}

## Import and export
import-title = Import from a file
import-intro = Upload a CSV file (separated by semicolons, commas or tabs; UTF-8 or Windows-1252, as Excel saves it) or an XLSX file. You will see a preview first: if even one row has an error, the file is not imported and the list shows every row to correct.
import-entity = What you import
import-file = File
import-file-hint = CSV or XLSX, up to 64 MB. The first row must hold the column names.
import-preview = Check the file
import-outcome = Result of the check
import-ready = The file is correct: { $rows } rows, { $created } new records and { $updated } updates. Confirm to import it.
import-confirm = Confirm the import
import-refused = { $count ->
    [one] The file was not imported: there is one error to correct.
   *[other] The file was not imported: there are { $count } errors to correct.
}
import-errors-caption = Errors by row (row 1 is the header)
import-line = Row
import-field = Field
import-problem = Problem
import-value = Value in the file
import-unknown-columns = Columns not recognised, which will not be imported:
import-no-file = Choose a file to upload.
flash-imported = Import complete: { $created } new records, { $updated } updated.
entity-organisations = Organisations
entity-people = People
entity-networks = Networks
entity-memberships = Organisations' memberships of networks
export-csv = Export CSV
export-xlsx = Export XLSX
programme-new = New programme
field-code = Code
picker-search-label = Find the organisation
picker-search-hint = Part of its name, or its tax code.
picker-search = Find the organisation
picker-search-first = Find the organisation above, then choose it here.
picker-no-match = No active organisation matches “{ $query }”: try another part of the name or the tax code.
picker-more = More organisations match: type more to narrow the search.
affiliation-add = Add an organisation they work for
