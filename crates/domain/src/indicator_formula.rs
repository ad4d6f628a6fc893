//! The formula of a custom indicator (issue 12): arithmetic over built-in indicator codes, such as
//! `(accompaniment_hours + 10) / networks_supported`. A formula is parsed into an [`Expr`] and only
//! that tree is ever evaluated, over the values a lookup gives for the codes it names: the text is
//! never run as code, and nothing but the four operations happens.
//!
//! Grammar (`-` before a factor is a unary minus; `−`, `×` and `÷` are read as `-`, `*`, `/`):
//!
//! ```text
//! expr    := term (("+" | "-") term)*
//! term    := unary (("*" | "/") unary)*
//! unary   := "-" unary | primary
//! primary := number | code | "(" expr ")"
//! number  := digits ("." digits)?
//! code    := (letter | "_") (letter | digit | "_")*
//! ```
//!
//! A formula is at most [`MAX_CHARS`] characters long and nests parentheses and minus signs at
//! most [`MAX_DEPTH`] deep, so that neither parsing nor evaluating can exhaust the stack.

use crate::FieldError;
use std::fmt;

/// The longest formula, in characters.
pub const MAX_CHARS: usize = 500;
/// The deepest nesting of parentheses and unary minus signs.
pub const MAX_DEPTH: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

impl Op {
    fn symbol(self) -> char {
        match self {
            Op::Add => '+',
            Op::Sub => '-',
            Op::Mul => '*',
            Op::Div => '/',
        }
    }

    fn precedence(self) -> u8 {
        match self {
            Op::Add | Op::Sub => 1,
            Op::Mul | Op::Div => 2,
        }
    }
}

/// A parsed formula. A number is never negative: its minus sign is a [`Expr::Neg`].
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Number(f64),
    /// The code of a built-in indicator.
    Indicator(String),
    Neg(Box<Expr>),
    Binary(Op, Box<Expr>, Box<Expr>),
}

/// Why a formula cannot be read or computed. Positions count characters from 1.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FormulaError {
    #[error("the formula is empty")]
    Empty,
    #[error("the formula is longer than {max} characters")]
    TooLong { max: usize },
    #[error("the formula nests deeper than {max} levels")]
    TooDeep { max: usize },
    #[error("unexpected character {found:?} at {position}")]
    UnexpectedChar { position: usize, found: char },
    #[error("the formula ends too early, at {position}")]
    UnexpectedEnd { position: usize },
    #[error("unexpected {found:?} at {position}")]
    UnexpectedToken { position: usize, found: String },
    #[error("the number at {position} is not well written")]
    BadNumber { position: usize },
    #[error("unknown indicator {name}")]
    UnknownIndicator { name: String },
    #[error("division by zero")]
    DivisionByZero,
    #[error("the result is too large")]
    Overflow,
}

impl FormulaError {
    /// The message key.
    pub fn code(&self) -> &'static str {
        match self {
            FormulaError::Empty => "error-sustain-formula-empty",
            FormulaError::TooLong { .. } => "error-sustain-formula-too-long",
            FormulaError::TooDeep { .. } => "error-sustain-formula-too-deep",
            FormulaError::UnexpectedChar { .. } => "error-sustain-formula-unexpected-char",
            FormulaError::UnexpectedEnd { .. } => "error-sustain-formula-unexpected-end",
            FormulaError::UnexpectedToken { .. } => "error-sustain-formula-unexpected-token",
            FormulaError::BadNumber { .. } => "error-sustain-formula-bad-number",
            FormulaError::UnknownIndicator { .. } => "error-sustain-formula-unknown",
            FormulaError::DivisionByZero => "error-sustain-formula-division-by-zero",
            FormulaError::Overflow => "error-sustain-formula-overflow",
        }
    }

    /// The error as a problem of the form field `field` (such as `formula`), with the values its
    /// message quotes.
    pub fn field_error(&self, field: &str) -> FieldError {
        let error = FieldError::new(field, self.code());
        match self {
            FormulaError::TooLong { max } | FormulaError::TooDeep { max } => error.with_arg("max", max),
            FormulaError::UnexpectedChar { position, found } => {
                error.with_arg("position", position).with_arg("found", found)
            }
            FormulaError::UnexpectedToken { position, found } => {
                error.with_arg("position", position).with_arg("found", found)
            }
            FormulaError::UnexpectedEnd { position } | FormulaError::BadNumber { position } => {
                error.with_arg("position", position)
            }
            FormulaError::UnknownIndicator { name } => error.with_arg("name", name),
            FormulaError::Empty | FormulaError::DivisionByZero | FormulaError::Overflow => error,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(f64),
    Code(String),
    Op(Op),
    Open,
    Close,
}

impl Token {
    fn text(&self) -> String {
        match self {
            Token::Number(n) => n.to_string(),
            Token::Code(code) => code.clone(),
            Token::Op(op) => op.symbol().to_string(),
            Token::Open => "(".into(),
            Token::Close => ")".into(),
        }
    }
}

/// The tokens of `chars` with their positions (from 1).
fn tokens(chars: &[char]) -> Result<Vec<(usize, Token)>, FormulaError> {
    let mut found = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        let c = chars[at];
        let position = at + 1;
        let single = match c {
            '+' => Some(Token::Op(Op::Add)),
            '-' | '−' => Some(Token::Op(Op::Sub)),
            '*' | '×' => Some(Token::Op(Op::Mul)),
            '/' | '÷' => Some(Token::Op(Op::Div)),
            '(' => Some(Token::Open),
            ')' => Some(Token::Close),
            _ => None,
        };
        if let Some(token) = single {
            found.push((position, token));
            at += 1;
        } else if c.is_whitespace() {
            at += 1;
        } else if c.is_ascii_digit() {
            let start = at;
            while at < chars.len() && chars[at].is_ascii_digit() {
                at += 1;
            }
            if at < chars.len() && chars[at] == '.' {
                at += 1;
                let decimals = at;
                while at < chars.len() && chars[at].is_ascii_digit() {
                    at += 1;
                }
                if at == decimals {
                    return Err(FormulaError::BadNumber { position });
                }
            }
            if at < chars.len() && (chars[at].is_ascii_alphabetic() || chars[at] == '_' || chars[at] == '.') {
                return Err(FormulaError::BadNumber { position });
            }
            let text: String = chars[start..at].iter().collect();
            match text.parse::<f64>() {
                Ok(number) if number.is_finite() => found.push((position, Token::Number(number))),
                _ => return Err(FormulaError::BadNumber { position }),
            }
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = at;
            while at < chars.len() && (chars[at].is_ascii_alphanumeric() || chars[at] == '_') {
                at += 1;
            }
            found.push((position, Token::Code(chars[start..at].iter().collect())));
        } else {
            return Err(FormulaError::UnexpectedChar { position, found: c });
        }
    }
    Ok(found)
}

struct Parser {
    tokens: Vec<(usize, Token)>,
    next: usize,
    /// The position just past the formula, for an error at its end.
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.next).map(|(_, token)| token)
    }

    fn unexpected(&self) -> FormulaError {
        match self.tokens.get(self.next) {
            Some((position, token)) => FormulaError::UnexpectedToken { position: *position, found: token.text() },
            None => FormulaError::UnexpectedEnd { position: self.end },
        }
    }

    fn expr(&mut self, depth: usize) -> Result<Expr, FormulaError> {
        let mut left = self.term(depth)?;
        while let Some(Token::Op(op @ (Op::Add | Op::Sub))) = self.peek() {
            let op = *op;
            self.next += 1;
            let right = self.term(depth)?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn term(&mut self, depth: usize) -> Result<Expr, FormulaError> {
        let mut left = self.unary(depth)?;
        while let Some(Token::Op(op @ (Op::Mul | Op::Div))) = self.peek() {
            let op = *op;
            self.next += 1;
            let right = self.unary(depth)?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self, depth: usize) -> Result<Expr, FormulaError> {
        if let Some(Token::Op(Op::Sub)) = self.peek() {
            let depth = deeper(depth)?;
            self.next += 1;
            return Ok(Expr::Neg(Box::new(self.unary(depth)?)));
        }
        self.primary(depth)
    }

    fn primary(&mut self, depth: usize) -> Result<Expr, FormulaError> {
        let Some((_, token)) = self.tokens.get(self.next).cloned() else {
            return Err(self.unexpected());
        };
        match token {
            Token::Number(number) => {
                self.next += 1;
                Ok(Expr::Number(number))
            }
            Token::Code(code) => {
                self.next += 1;
                Ok(Expr::Indicator(code))
            }
            Token::Open => {
                let depth = deeper(depth)?;
                self.next += 1;
                let inner = self.expr(depth)?;
                if self.peek() != Some(&Token::Close) {
                    return Err(self.unexpected());
                }
                self.next += 1;
                Ok(inner)
            }
            Token::Op(_) | Token::Close => Err(self.unexpected()),
        }
    }
}

fn deeper(depth: usize) -> Result<usize, FormulaError> {
    if depth >= MAX_DEPTH { Err(FormulaError::TooDeep { max: MAX_DEPTH }) } else { Ok(depth + 1) }
}

/// Reads a formula.
pub fn parse(formula: &str) -> Result<Expr, FormulaError> {
    let chars: Vec<char> = formula.chars().collect();
    if chars.len() > MAX_CHARS {
        return Err(FormulaError::TooLong { max: MAX_CHARS });
    }
    if chars.iter().all(|c| c.is_whitespace()) {
        return Err(FormulaError::Empty);
    }
    let mut parser = Parser { tokens: tokens(&chars)?, next: 0, end: chars.len() + 1 };
    let expr = parser.expr(0)?;
    if parser.next < parser.tokens.len() {
        return Err(parser.unexpected());
    }
    // A formula is stored as written back (`Display`, a space around each operator) and read
    // again: the bound holds for that text too, or a formula saved could not be read.
    if expr.to_string().chars().count() > MAX_CHARS {
        return Err(FormulaError::TooLong { max: MAX_CHARS });
    }
    Ok(expr)
}

/// The value of `expr`, reading each indicator through `lookup` (`None` for a code it does not
/// know). Fails on an unknown indicator, a division by zero or a result out of range.
pub fn evaluate(expr: &Expr, lookup: impl Fn(&str) -> Option<f64>) -> Result<f64, FormulaError> {
    eval(expr, &lookup)
}

fn eval(expr: &Expr, lookup: &dyn Fn(&str) -> Option<f64>) -> Result<f64, FormulaError> {
    let value = match expr {
        Expr::Number(number) => *number,
        Expr::Indicator(name) => lookup(name).ok_or_else(|| FormulaError::UnknownIndicator { name: name.clone() })?,
        Expr::Neg(inner) => -eval(inner, lookup)?,
        Expr::Binary(op, left, right) => {
            let (a, b) = (eval(left, lookup)?, eval(right, lookup)?);
            match op {
                Op::Add => a + b,
                Op::Sub => a - b,
                Op::Mul => a * b,
                Op::Div if b == 0.0 => return Err(FormulaError::DivisionByZero),
                Op::Div => a / b,
            }
        }
    };
    if value.is_finite() { Ok(value) } else { Err(FormulaError::Overflow) }
}

/// The indicator codes `expr` names, each once, in the order they first appear: what a custom
/// indicator depends on, to check against the catalogue when it is saved.
pub fn references(expr: &Expr) -> Vec<&str> {
    fn walk<'a>(expr: &'a Expr, found: &mut Vec<&'a str>) {
        match expr {
            Expr::Number(_) => {}
            Expr::Indicator(name) => {
                if !found.contains(&name.as_str()) {
                    found.push(name);
                }
            }
            Expr::Neg(inner) => walk(inner, found),
            Expr::Binary(_, left, right) => {
                walk(left, found);
                walk(right, found);
            }
        }
    }
    let mut found = Vec::new();
    walk(expr, &mut found);
    found
}

/// How tightly an expression binds, to know when it needs parentheses.
fn precedence(expr: &Expr) -> u8 {
    match expr {
        Expr::Number(_) | Expr::Indicator(_) => 4,
        Expr::Neg(_) => 3,
        Expr::Binary(op, _, _) => op.precedence(),
    }
}

fn write_child(expr: &Expr, parenthesised: bool, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    if parenthesised { write!(f, "({expr})") } else { write!(f, "{expr}") }
}

/// The formula written back, with the parentheses it needs and no more: reading it again gives
/// the same tree.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Number(number) => write!(f, "{number}"),
            Expr::Indicator(name) => f.write_str(name),
            Expr::Neg(inner) => {
                f.write_str("-")?;
                write_child(inner, precedence(inner) < 3, f)
            }
            Expr::Binary(op, left, right) => {
                write_child(left, precedence(left) < op.precedence(), f)?;
                write!(f, " {} ", op.symbol())?;
                // Left-associative: a right operand of the same precedence keeps its parentheses.
                write_child(right, precedence(right) <= op.precedence(), f)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn values(code: &str) -> Option<f64> {
        match code {
            "accompaniment_hours" => Some(120.0),
            "networks_supported" => Some(8.0),
            "practices_published" => Some(0.0),
            _ => None,
        }
    }

    fn run(formula: &str) -> Result<f64, FormulaError> {
        evaluate(&parse(formula)?, values)
    }

    #[test]
    fn arithmetic_follows_precedence_and_unary_minus() {
        assert_eq!(run("1 + 2 * 3"), Ok(7.0));
        assert_eq!(run("(1 + 2) * 3"), Ok(9.0));
        assert_eq!(run("10 - 4 - 3"), Ok(3.0));
        assert_eq!(run("64 / 4 / 2"), Ok(8.0));
        assert_eq!(run("-2 * -3"), Ok(6.0));
        assert_eq!(run("--2"), Ok(2.0));
        assert_eq!(run("2 - -2"), Ok(4.0));
        assert_eq!(run("(accompaniment_hours + 40) / networks_supported"), Ok(20.0));
        assert_eq!(run("accompaniment_hours × 2 ÷ 4 − 0.5"), Ok(59.5));
        assert_eq!(run("  1.25  "), Ok(1.25));
    }

    /// The invariant of the fuzz target `formula`: `1+1+…+1` within the bound was written back with
    /// spaces, twice as long, and the text stored could not be read again.
    #[test]
    fn a_formula_read_is_written_back_within_the_bound() {
        let compact = format!("{}1", "1+".repeat(200));
        assert!(compact.chars().count() <= MAX_CHARS);
        assert_eq!(parse(&compact), Err(FormulaError::TooLong { max: MAX_CHARS }));
        let fits = format!("{}1", "1+".repeat(120));
        let written = parse(&fits).unwrap().to_string();
        assert_eq!(parse(&written).unwrap().to_string(), written);
    }

    #[test]
    fn errors_say_what_and_where() {
        assert_eq!(
            run("practices_drafted + 1"),
            Err(FormulaError::UnknownIndicator { name: "practices_drafted".into() })
        );
        assert_eq!(run("networks_supported / practices_published"), Err(FormulaError::DivisionByZero));
        assert_eq!(run("1 / (2 - 2)"), Err(FormulaError::DivisionByZero));
        assert_eq!(run(""), Err(FormulaError::Empty));
        assert_eq!(run("   "), Err(FormulaError::Empty));
        assert_eq!(run("1 +"), Err(FormulaError::UnexpectedEnd { position: 4 }));
        assert_eq!(run("(1 + 2"), Err(FormulaError::UnexpectedEnd { position: 7 }));
        assert_eq!(run("1 + * 2"), Err(FormulaError::UnexpectedToken { position: 5, found: "*".into() }));
        assert_eq!(run("1 2"), Err(FormulaError::UnexpectedToken { position: 3, found: "2".into() }));
        assert_eq!(run("(1))"), Err(FormulaError::UnexpectedToken { position: 4, found: ")".into() }));
        assert_eq!(run("2 ^ 3"), Err(FormulaError::UnexpectedChar { position: 3, found: '^' }));
        assert_eq!(run("x; drop table"), Err(FormulaError::UnexpectedChar { position: 2, found: ';' }));
        assert_eq!(run("1.2.3"), Err(FormulaError::BadNumber { position: 1 }));
        assert_eq!(run("3."), Err(FormulaError::BadNumber { position: 1 }));
        assert_eq!(run("2abc"), Err(FormulaError::BadNumber { position: 1 }));
        assert_eq!(run(&"9".repeat(400)), Err(FormulaError::BadNumber { position: 1 }));
        assert_eq!(run(&"1+".repeat(300)), Err(FormulaError::TooLong { max: MAX_CHARS }));
        let deep = format!("{}1{}", "(".repeat(MAX_DEPTH + 1), ")".repeat(MAX_DEPTH + 1));
        assert_eq!(run(&deep), Err(FormulaError::TooDeep { max: MAX_DEPTH }));
        let fine = format!("{}1{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert_eq!(run(&fine), Ok(1.0));
        assert_eq!(run(&"-".repeat(MAX_DEPTH + 1)), Err(FormulaError::TooDeep { max: MAX_DEPTH }));
        assert_eq!(run(&format!("{} * {}", "9".repeat(200), "9".repeat(200))), Err(FormulaError::Overflow));
    }

    #[test]
    fn an_error_becomes_a_field_error_with_its_values() {
        let error = FormulaError::UnknownIndicator { name: "boh".into() }.field_error("formula");
        assert_eq!((error.field.as_str(), error.code), ("formula", "error-sustain-formula-unknown"));
        assert_eq!(error.args, [("name", "boh".to_owned())]);
        let error = FormulaError::UnexpectedChar { position: 3, found: '^' }.field_error("formula");
        assert_eq!(error.args, [("position", "3".to_owned()), ("found", "^".to_owned())]);
    }

    #[test]
    fn references_are_listed_once_in_order() {
        let expr = parse("b + a * b - (c / a)").unwrap();
        assert_eq!(references(&expr), ["b", "a", "c"]);
    }

    #[test]
    fn printing_uses_only_the_parentheses_needed() {
        for (formula, printed) in [
            ("(a + b) * c", "(a + b) * c"),
            ("a + (b * c)", "a + b * c"),
            ("a - (b - c)", "a - (b - c)"),
            ("(a - b) - c", "a - b - c"),
            ("-(a + b)", "-(a + b)"),
            ("a / -b", "a / -b"),
            ("2.50 * x", "2.5 * x"),
        ] {
            assert_eq!(parse(formula).unwrap().to_string(), printed);
        }
    }

    fn arb_expr() -> impl Strategy<Value = Expr> {
        let leaf = prop_oneof![
            (0.0f64..1e9).prop_map(Expr::Number),
            (0u32..10_000).prop_map(|n| Expr::Number(f64::from(n))),
            "[a-z_][a-z0-9_]{0,15}".prop_map(Expr::Indicator),
        ];
        leaf.prop_recursive(6, 24, 2, |inner| {
            let op = prop_oneof![Just(Op::Add), Just(Op::Sub), Just(Op::Mul), Just(Op::Div)];
            prop_oneof![
                inner.clone().prop_map(|e| Expr::Neg(Box::new(e))),
                (op, inner.clone(), inner).prop_map(|(op, a, b)| Expr::Binary(op, Box::new(a), Box::new(b))),
            ]
        })
    }

    fn any_lookup(code: &str) -> Option<f64> {
        match code.len() % 5 {
            0 => None,
            1 => Some(0.0),
            2 => Some(f64::MAX),
            3 => Some(f64::NAN),
            _ => Some(code.len() as f64),
        }
    }

    proptest! {
        #[test]
        fn a_printed_formula_reads_back_the_same(expr in arb_expr()) {
            let printed = expr.to_string();
            prop_assume!(printed.chars().count() <= MAX_CHARS);
            prop_assert_eq!(parse(&printed), Ok(expr), "{}", printed);
        }

        #[test]
        fn any_text_is_refused_or_evaluated_without_panicking(text in "\\PC{0,600}") {
            if let Ok(expr) = parse(&text) {
                let _ = evaluate(&expr, any_lookup);
            }
        }

        #[test]
        fn formula_like_text_is_refused_or_evaluated_without_panicking(text in "[-+*/() 0-9.a-e_×÷−]{0,600}") {
            if let Ok(expr) = parse(&text) {
                let _ = evaluate(&expr, any_lookup);
                let printed = expr.to_string();
                if printed.chars().count() <= MAX_CHARS {
                    prop_assert_eq!(parse(&printed), Ok(expr));
                }
            }
        }
    }
}
