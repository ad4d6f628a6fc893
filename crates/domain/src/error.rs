//! Field-level validation errors shared by every layer.

use serde::Serialize;

/// One problem with one input field: `field` is the form/column name, `code` a message key
/// (a Fluent id such as `error-email-invalid`), `args` the values the message quotes (such as
/// `max` for `error-too-long`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{field}: {code}")]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<(&'static str, String)>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &'static str) -> Self {
        Self { field: field.into(), code, args: Vec::new() }
    }

    /// The same error, with one more value for its message.
    pub fn with_arg(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }
}

/// All the problems found in one submission, in the order the fields were checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("invalid input: {0:?}")]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn push(&mut self, field: impl Into<String>, code: &'static str) {
        self.0.push(FieldError::new(field, code));
    }

    pub fn add(&mut self, error: FieldError) {
        self.0.push(error);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The same problems, `from` named `to` (a form or a body that calls a field its own way).
    pub fn renamed(mut self, from: &str, to: &str) -> FieldErrors {
        for error in self.0.iter_mut().filter(|e| e.field == from) {
            error.field = to.to_owned();
        }
        self
    }

    /// The problems of one item of a list, named `list[index].field`.
    pub fn nested(self, list: &str, index: usize) -> FieldErrors {
        FieldErrors(
            self.0.into_iter().map(|e| FieldError { field: format!("{list}[{index}].{}", e.field), ..e }).collect(),
        )
    }

    /// The message key for `field`, if that field has a problem.
    pub fn for_field(&self, field: &str) -> Option<&'static str> {
        self.get(field).map(|e| e.code)
    }

    /// The first problem with `field`.
    pub fn get(&self, field: &str) -> Option<&FieldError> {
        self.0.iter().find(|e| e.field == field)
    }

    /// Records the error of a parse result and returns its value, so that a form can be checked
    /// whole and every problem reported at once.
    pub fn check<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.0.push(error);
                None
            }
        }
    }

    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl From<FieldError> for FieldErrors {
    fn from(error: FieldError) -> Self {
        Self(vec![error])
    }
}
