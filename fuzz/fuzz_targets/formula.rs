//! The formula of a custom indicator (`reti_domain::indicator_formula`): any text is read without
//! a panic; a formula read is written back (`Display`) as text that reads as the same tree, and
//! again as the same text; evaluating it never panics and gives a finite number or an error.

#![no_main]

use libfuzzer_sys::fuzz_target;
use reti_domain::indicator_formula::{Expr, FormulaError, MAX_CHARS, evaluate, parse, references};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let expr = match parse(text) {
        Ok(expr) => expr,
        Err(error) => {
            check_error(text, &error);
            return;
        }
    };
    let written = expr.to_string();
    let again = parse(&written).unwrap_or_else(|e| panic!("{text:?} → {written:?} does not read: {e:?}"));
    assert!(same(&expr, &again), "{text:?} → {written:?} reads as {again:?}, not {expr:?}");
    assert_eq!(again.to_string(), written, "{text:?}: writing is stable");
    let codes = references(&expr);
    for code in &codes {
        assert!(!code.is_empty() && text.contains(code), "{code:?} named by {text:?}");
    }
    let value = |code: &str| Some(code.len() as f64 - 3.0);
    match evaluate(&expr, value) {
        Ok(result) => assert!(result.is_finite(), "{text:?} = {result}"),
        Err(error) => {
            assert!(matches!(error, FormulaError::DivisionByZero | FormulaError::Overflow), "{text:?}: {error:?}")
        }
    }
    if !codes.is_empty() {
        assert!(evaluate(&expr, |_| None).is_err(), "{text:?} needs its codes");
    }
});

/// The same tree; numbers compare by their bits, so that NaN cannot hide a difference.
fn same(a: &Expr, b: &Expr) -> bool {
    match (a, b) {
        (Expr::Number(x), Expr::Number(y)) => x.to_bits() == y.to_bits(),
        (Expr::Indicator(x), Expr::Indicator(y)) => x == y,
        (Expr::Neg(x), Expr::Neg(y)) => same(x, y),
        (Expr::Binary(p, xl, xr), Expr::Binary(q, yl, yr)) => p == q && same(xl, yl) && same(xr, yr),
        _ => false,
    }
}

/// Positions point into the formula (counted in characters from 1, one past its end at most).
fn check_error(text: &str, error: &FormulaError) {
    let length = text.chars().count();
    match error {
        FormulaError::UnexpectedChar { position, found } => {
            assert!(*position >= 1 && text.chars().nth(position - 1) == Some(*found), "{text:?}: {error:?}");
        }
        FormulaError::UnexpectedEnd { position }
        | FormulaError::UnexpectedToken { position, .. }
        | FormulaError::BadNumber { position } => {
            assert!(*position >= 1 && *position <= length + 1, "{text:?}: {error:?}");
        }
        // The bound holds for the text and for its written-back form, which adds spaces: a text
        // within the bound can still be refused.
        FormulaError::TooLong { max } => assert_eq!(*max, MAX_CHARS, "{text:?}"),
        _ => {}
    }
    let _ = error.field_error("formula");
}
