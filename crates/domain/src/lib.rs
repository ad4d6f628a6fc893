//! The pure core of Reti: types, validation and rules. No I/O, no async, no SQL, no HTTP.
//!
//! Validation returns [`FieldError`]s that name the field and a message key; the web layer turns
//! the key into a sentence in the user's language, so the domain never speaks Italian or English.

pub mod account;
pub mod actor_map;
pub mod calendar;
pub mod columns;
pub mod custom_indicators;
pub mod dates;
pub mod diary;
pub mod documents;
pub mod edge_list;
pub mod error;
pub mod exchanges;
pub mod formula;
pub mod groups;
pub mod import;
pub mod indicator_formula;
pub mod indicators;
pub mod input;
pub mod labs;
pub mod locale;
pub mod markdown;
pub mod matrix;
pub mod meetings;
#[cfg(test)]
mod message_keys;
pub mod practices;
pub mod reading;
pub mod registry;
pub mod search;
pub mod sustainability;
pub mod table;
pub mod taxcode;
pub mod territory;
pub mod text;
pub mod ties;
pub mod workbook;

pub use account::{Email, Password, PersonName, Role, TokenLifetime};
pub use columns::{Column, ColumnMap};
pub use error::{FieldError, FieldErrors};
pub use import::RowError;
pub use locale::Locale;
pub use registry::{Maturity, MembershipRole, NetworkStatus, OrganisationKind};
pub use table::{FileFormat, Table, TableError, TableRow};
pub use taxcode::TaxCode;
pub use territory::Municipality;
