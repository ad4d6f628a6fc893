## Registry: organisations, people, networks, memberships, territory

## Fields
field-tax-code = Tax code / VAT number
field-municipality = Municipality
field-province = Province
field-kind = Kind
field-phone = Phone
field-website = Website
field-address = Address
field-resources = Resources and competences
field-position = Job title
field-organisation = Organisation
field-organisation-name = Organisation name
field-first-name = First name
field-last-name = Last name
field-network = Network
field-joined-on = Joined on
field-left-on = Left on
field-maturity = Maturity
field-status = Status
field-action-lines = Action lines
field-municipalities = Municipalities
field-lead = Lead partner
field-description = Description

## Field and import errors
error-tax-code-format = The field “{ $field }” does not hold a tax code or VAT number: write the 11 digits of the VAT number (IT in front is fine) or the 16 characters of a personal tax code, without dots or dashes.
error-tax-code-check-digit = The “{ $field }” is not valid: its last character, the check digit, does not match. Make sure you copied all of it without typos.
error-date-invalid = The field “{ $field }” does not hold a valid date: write it as dd/mm/yyyy (for example 01/03/2024) or yyyy-mm-dd.
error-date-order = The date in the field “{ $field }” comes before the date of joining: correct one of the two dates.
error-duplicate-in-file = The value of the field “{ $field }” already appears on row { $first_line } of the file: remove the repeated row or correct the value.
error-column-missing = The file has no “{ $field }” column: add it to the first row, with this name or an equivalent one.
error-too-long = The field “{ $field }” is too long: shorten it to at most { $max } characters.
error-kind-invalid = The field “{ $field }” does not hold a known kind of organisation: write, for example, municipality, school, adult education centre, health agency, prefecture, police headquarters, third sector, migrant association, religious body, business, university or other.
error-membership-role-invalid = The field “{ $field }” does not hold a known role in the network: write lead, partner or supporter.
error-maturity-invalid = The field “{ $field }” does not hold a known maturity: write first experience, prior projects or consolidated.
error-network-status-invalid = The field “{ $field }” does not hold a known status: write forming, active or closed.
error-municipality-unknown = The field “{ $field }” matches no Italian municipality: check the spelling of the name or use the municipality's ISTAT code.
error-municipality-ambiguous = The name in the field “{ $field }” belongs to several Italian municipalities: add the province (for example CO) or use the municipality's ISTAT code.
error-municipality-province = The municipality in the field “{ $field }” is not in the province given: correct the municipality or the province.

## Kinds of organisation
kind-comune = Municipality
kind-istituto-scolastico = School
kind-cpia = Adult education centre (CPIA)
kind-asst-ats = Health agency (ASST / ATS)
kind-prefettura = Prefecture
kind-questura = Police headquarters
kind-terzo-settore = Third-sector cooperative or association
kind-associazione-migranti = Migrant association
kind-ente-religioso = Religious body
kind-impresa = Business
kind-universita = University
kind-altro = Other

## Roles in a network
membership-role-lead = Lead partner
membership-role-partner = Partner
membership-role-supporter = Supporter

## Network maturity
maturity-first-experience = First FAMI experience
maturity-prior-projects = Prior FAMI projects
maturity-consolidated = Consolidated network

## Network status
network-status-forming = Forming
network-status-active = Active
network-status-closed = Closed
