//! Reading tools (strumenti di lettura, SPEC §3): versioned questionnaires that map a network's
//! generative potential, their scoring and the aggregation of a network's answers (decision 0023).
//!
//! An [`Instrument`] is the content of one version: dimensions, each with items and a weight; every
//! scored item yields a score in 0..1 (reverse-scored items are flipped), a dimension's score is the
//! weighted mean of its answered items on 0..100, the index the weighted mean of the dimensions,
//! and the maturity band the highest band whose floor the index reaches. A network's profile is the
//! mean of its organisations' scores, with their standard deviation as the (dis)agreement.

use crate::{FieldError, FieldErrors, Locale};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The instrument every programme can start from, "Potenziale generativo della rete".
pub const DEFAULT_INSTRUMENT: &str = include_str!("../data/reading_default.json");

pub const LIKERT_POINTS: usize = 5;
pub const MAX_TEXT: usize = 300;
pub const MAX_GUIDE: usize = 2000;
pub const MAX_ANSWER_TEXT: usize = 4000;

/// The instrument shipped with the product.
pub fn default_instrument() -> Instrument {
    serde_json::from_str(DEFAULT_INSTRUMENT).expect("the default instrument is valid JSON")
}

/// Text in Italian and English.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Text {
    pub it: String,
    pub en: String,
}

impl Text {
    pub fn new(it: &str, en: &str) -> Text {
        Text { it: it.to_owned(), en: en.to_owned() }
    }

    /// The text in `locale`, falling back to Italian when the English is missing.
    pub fn get(&self, locale: Locale) -> &str {
        match locale {
            Locale::En if !self.en.is_empty() => &self.en,
            _ => &self.it,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// 1..5, with a label for each point.
    Likert,
    /// One of several options, each with a score.
    Single,
    /// Any of several options: the scores of the chosen ones, over the best possible total.
    Multiple,
    /// A number between bounds.
    Number,
    /// Free text, not scored.
    Text,
}

impl ItemKind {
    pub const ALL: [ItemKind; 5] =
        [ItemKind::Likert, ItemKind::Single, ItemKind::Multiple, ItemKind::Number, ItemKind::Text];

    pub fn code(self) -> &'static str {
        match self {
            ItemKind::Likert => "likert",
            ItemKind::Single => "single",
            ItemKind::Multiple => "multiple",
            ItemKind::Number => "number",
            ItemKind::Text => "text",
        }
    }

    pub fn parse(input: &str) -> Result<ItemKind, FieldError> {
        ItemKind::ALL
            .into_iter()
            .find(|kind| kind.code() == input.trim())
            .ok_or_else(|| FieldError::new("kind", "error-reading-kind-invalid"))
    }

    pub fn label_key(self) -> String {
        format!("reading-kind-{}", self.code())
    }

    pub fn is_scored(self) -> bool {
        self != ItemKind::Text
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub label: Text,
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// Stable within the instrument and its later versions (answers are keyed by it).
    pub key: String,
    pub text: Text,
    pub kind: ItemKind,
    /// Likert: the label of each point, 1 to 5.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub anchors: Vec<Text>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<Choice>,
    /// Number: the bounds of an answer.
    #[serde(default)]
    pub min: f64,
    #[serde(default)]
    pub max: f64,
    #[serde(default = "one")]
    pub weight: f64,
    /// A high answer means a weak network (the score is flipped).
    #[serde(default)]
    pub reverse: bool,
}

fn one() -> f64 {
    1.0
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dimension {
    pub key: String,
    pub name: Text,
    pub guide: Text,
    #[serde(default = "one")]
    pub weight: f64,
    pub items: Vec<Item>,
}

/// A maturity band: from `min` (0..100) up to the next band's floor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Band {
    pub min: f64,
    pub label: Text,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Instrument {
    pub name: Text,
    pub dimensions: Vec<Dimension>,
    pub bands: Vec<Band>,
}

/// One answer to one item: a number (Likert point or number), chosen options (by position), or text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Number(f64),
    Choices(Vec<usize>),
    Text(String),
}

/// An organisation's answers, by item key.
pub type Answers = BTreeMap<String, Value>;

impl Instrument {
    pub fn item(&self, key: &str) -> Option<(usize, usize, &Item)> {
        self.dimensions.iter().enumerate().find_map(|(d, dimension)| {
            dimension.items.iter().enumerate().find(|(_, item)| item.key == key).map(|(i, item)| (d, i, item))
        })
    }

    pub fn dimension(&self, key: &str) -> Option<(usize, &Dimension)> {
        self.dimensions.iter().enumerate().find(|(_, d)| d.key == key)
    }

    /// "2.3": the third item of the second dimension, as messages and exports name it.
    pub fn item_number(&self, key: &str) -> String {
        self.item(key).map(|(d, i, _)| format!("{}.{}", d + 1, i + 1)).unwrap_or_else(|| key.to_owned())
    }

    /// The band the index falls in (its position in `bands`).
    pub fn band(&self, index: f64) -> Option<usize> {
        self.bands.iter().enumerate().filter(|(_, band)| band.min <= index + 1e-9).map(|(i, _)| i).next_back()
    }

    /// What keeps the instrument from being published: no dimension, a dimension without a scored
    /// item, bands out of order.
    pub fn check_publishable(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        if self.dimensions.is_empty() {
            errors.push("dimensions", "error-reading-no-dimensions");
        }
        for dimension in &self.dimensions {
            if !dimension.items.iter().any(|item| item.kind.is_scored()) {
                errors.add(
                    FieldError::new(dimension.key.clone(), "error-reading-dimension-unscored")
                        .with_arg("dimension", dimension.name.it.clone()),
                );
            }
        }
        if self.bands.is_empty() || self.bands.windows(2).any(|w| w[0].min >= w[1].min) {
            errors.push("bands", "error-reading-bands-invalid");
        }
        errors.into_result()
    }

    fn next_key(&self, prefix: &str, taken: impl Iterator<Item = String>) -> String {
        let taken: Vec<String> = taken.collect();
        (1..).map(|n| format!("{prefix}{n}")).find(|key| !taken.contains(key)).expect("an unused key")
    }

    /// Adds a dimension at the end; returns its key.
    pub fn add_dimension(&mut self, input: DimensionInput) -> String {
        let key = self.next_key("d", self.dimensions.iter().map(|d| d.key.clone()));
        let dimension = Dimension {
            key: key.clone(),
            name: input.name,
            guide: input.guide,
            weight: input.weight,
            items: Vec::new(),
        };
        self.dimensions.push(dimension);
        if let Some(position) = input.position {
            self.move_dimension(&key, position);
        }
        key
    }

    pub fn update_dimension(&mut self, key: &str, input: DimensionInput) -> Option<()> {
        let (_, _) = self.dimension(key)?;
        let dimension = self.dimensions.iter_mut().find(|d| d.key == key)?;
        dimension.name = input.name;
        dimension.guide = input.guide;
        dimension.weight = input.weight;
        if let Some(position) = input.position {
            self.move_dimension(key, position);
        }
        Some(())
    }

    /// Moves a dimension to `position` (1 = first).
    fn move_dimension(&mut self, key: &str, position: usize) {
        if let Some((from, _)) = self.dimension(key) {
            let dimension = self.dimensions.remove(from);
            let to = position.saturating_sub(1).min(self.dimensions.len());
            self.dimensions.insert(to, dimension);
        }
    }

    pub fn remove_dimension(&mut self, key: &str) -> Option<()> {
        let (index, _) = self.dimension(key)?;
        self.dimensions.remove(index);
        Some(())
    }

    /// Adds an item at the end of a dimension; returns its key.
    pub fn add_item(&mut self, dimension_key: &str, input: ItemInput) -> Option<String> {
        let taken: Vec<String> = self.dimensions.iter().flat_map(|d| d.items.iter().map(|i| i.key.clone())).collect();
        let key = self.next_key(&format!("{dimension_key}i"), taken.into_iter());
        let position = input.position;
        let dimension = self.dimensions.iter_mut().find(|d| d.key == dimension_key)?;
        dimension.items.push(input.into_item(key.clone()));
        if let Some(position) = position {
            self.move_item(&key, position);
        }
        Some(key)
    }

    pub fn update_item(&mut self, key: &str, input: ItemInput) -> Option<()> {
        let (d, i, _) = self.item(key)?;
        let position = input.position;
        self.dimensions[d].items[i] = input.into_item(key.to_owned());
        if let Some(position) = position {
            self.move_item(key, position);
        }
        Some(())
    }

    fn move_item(&mut self, key: &str, position: usize) {
        if let Some((d, i, _)) = self.item(key) {
            let items = &mut self.dimensions[d].items;
            let item = items.remove(i);
            let to = position.saturating_sub(1).min(items.len());
            items.insert(to, item);
        }
    }

    pub fn remove_item(&mut self, key: &str) -> Option<()> {
        let (d, i, _) = self.item(key)?;
        self.dimensions[d].items.remove(i);
        Some(())
    }
}

// ---------------------------------------------------------------------------------------------
// Editing input
// ---------------------------------------------------------------------------------------------

fn required_text(errors: &mut FieldErrors, field: &str, value: &str, max: usize) -> String {
    let value = value.trim();
    if value.is_empty() {
        errors.push(field, "error-required");
    } else if value.chars().count() > max {
        errors.add(FieldError::new(field, "error-too-long").with_arg("max", max));
    }
    value.to_owned()
}

fn optional_text(errors: &mut FieldErrors, field: &str, value: &str, max: usize) -> String {
    let value = value.trim();
    if value.chars().count() > max {
        errors.add(FieldError::new(field, "error-too-long").with_arg("max", max));
    }
    value.to_owned()
}

/// A decimal as Italians or English speakers type it ("1,5" or "1.5").
pub fn parse_decimal(input: &str) -> Option<f64> {
    let value: f64 = input.trim().replace(',', ".").parse().ok()?;
    value.is_finite().then_some(value)
}

fn weight(errors: &mut FieldErrors, input: &str) -> f64 {
    if input.trim().is_empty() {
        return 1.0;
    }
    match parse_decimal(input) {
        Some(value) if value > 0.0 && value <= 100.0 => value,
        _ => {
            errors.push("weight", "error-reading-weight-invalid");
            1.0
        }
    }
}

fn position(errors: &mut FieldErrors, input: &str) -> Option<usize> {
    let input = input.trim();
    if input.is_empty() {
        return None;
    }
    match input.parse::<usize>() {
        Ok(value) if value >= 1 => Some(value),
        _ => {
            errors.push("order", "error-reading-order-invalid");
            None
        }
    }
}

/// A dimension as typed in the editor.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct DimensionRaw {
    pub name_it: String,
    pub name_en: String,
    pub guide_it: String,
    pub guide_en: String,
    pub weight: String,
    pub order: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DimensionInput {
    pub name: Text,
    pub guide: Text,
    pub weight: f64,
    /// Where to move it (1 = first); `None` leaves it where it is.
    pub position: Option<usize>,
}

impl DimensionInput {
    pub fn parse(raw: &DimensionRaw) -> Result<DimensionInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = Text {
            it: required_text(&mut errors, "name_it", &raw.name_it, MAX_TEXT),
            en: optional_text(&mut errors, "name_en", &raw.name_en, MAX_TEXT),
        };
        let guide = Text {
            it: optional_text(&mut errors, "guide_it", &raw.guide_it, MAX_GUIDE),
            en: optional_text(&mut errors, "guide_en", &raw.guide_en, MAX_GUIDE),
        };
        let weight = weight(&mut errors, &raw.weight);
        let position = position(&mut errors, &raw.order);
        errors.into_result()?;
        Ok(DimensionInput { name, guide, weight, position })
    }
}

/// An item as typed in the editor. Likert anchors: five lines "italiano | english"; choices: one
/// line per option, "score | italiano | english".
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ItemRaw {
    pub text_it: String,
    pub text_en: String,
    pub kind: String,
    pub anchors: String,
    pub choices: String,
    pub min: String,
    pub max: String,
    pub weight: String,
    pub reverse: String,
    pub order: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ItemInput {
    pub text: Text,
    pub kind: ItemKind,
    pub anchors: Vec<Text>,
    pub choices: Vec<Choice>,
    pub min: f64,
    pub max: f64,
    pub weight: f64,
    pub reverse: bool,
    pub position: Option<usize>,
}

fn split_pair(line: &str) -> Text {
    match line.split_once('|') {
        Some((it, en)) => Text::new(it.trim(), en.trim()),
        None => Text::new(line.trim(), ""),
    }
}

impl ItemInput {
    pub fn parse(raw: &ItemRaw) -> Result<ItemInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let text = Text {
            it: required_text(&mut errors, "text_it", &raw.text_it, MAX_TEXT),
            en: optional_text(&mut errors, "text_en", &raw.text_en, MAX_TEXT),
        };
        let kind = errors.check(ItemKind::parse(&raw.kind));
        let lines = |text: &str| -> Vec<String> {
            text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
        };
        let mut anchors = Vec::new();
        let mut choices = Vec::new();
        let (mut min, mut max) = (0.0, 0.0);
        match kind {
            Some(ItemKind::Likert) => {
                anchors = lines(&raw.anchors).iter().map(|l| split_pair(l)).collect();
                if anchors.is_empty() {
                    anchors = (1..=LIKERT_POINTS).map(|n| Text::new(&n.to_string(), &n.to_string())).collect();
                } else if anchors.len() != LIKERT_POINTS {
                    errors.push("anchors", "error-reading-anchors-invalid");
                }
            }
            Some(ItemKind::Single | ItemKind::Multiple) => {
                for line in lines(&raw.choices) {
                    let Some((score, label)) = line.split_once('|') else {
                        errors.push("choices", "error-reading-choices-invalid");
                        break;
                    };
                    match parse_decimal(score) {
                        Some(score) if (-100.0..=100.0).contains(&score) => {
                            choices.push(Choice { label: split_pair(label), score })
                        }
                        _ => {
                            errors.push("choices", "error-reading-choices-invalid");
                            break;
                        }
                    }
                }
                if choices.len() < 2 && errors.get("choices").is_none() {
                    errors.push("choices", "error-reading-choices-invalid");
                }
            }
            Some(ItemKind::Number) => {
                let bound = |errors: &mut FieldErrors, field: &'static str, input: &str| match parse_decimal(input) {
                    Some(value) => value,
                    None => {
                        errors.push(field, "error-reading-number-invalid");
                        0.0
                    }
                };
                min = bound(&mut errors, "min", &raw.min);
                max = bound(&mut errors, "max", &raw.max);
                if errors.get("min").is_none() && errors.get("max").is_none() && min >= max {
                    errors.push("max", "error-reading-bounds-invalid");
                }
            }
            Some(ItemKind::Text) | None => {}
        }
        let weight = weight(&mut errors, &raw.weight);
        let position = position(&mut errors, &raw.order);
        errors.into_result()?;
        Ok(ItemInput {
            text,
            kind: kind.expect("checked"),
            anchors,
            choices,
            min,
            max,
            weight,
            reverse: matches!(raw.reverse.as_str(), "on" | "true" | "1"),
            position,
        })
    }

    fn into_item(self, key: String) -> Item {
        Item {
            key,
            text: self.text,
            kind: self.kind,
            anchors: self.anchors,
            choices: self.choices,
            min: self.min,
            max: self.max,
            weight: self.weight,
            reverse: self.reverse,
        }
    }
}

impl Item {
    /// The editor's text for the anchors and choices of this item (see [`ItemRaw`]).
    pub fn anchors_text(&self) -> String {
        self.anchors.iter().map(|a| format!("{} | {}", a.it, a.en)).collect::<Vec<_>>().join("\n")
    }

    pub fn choices_text(&self) -> String {
        self.choices
            .iter()
            .map(|c| format!("{} | {} | {}", c.score, c.label.it, c.label.en))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

fn item_error(instrument: &Instrument, item: &Item, code: &'static str) -> FieldError {
    FieldError::new(item.key.clone(), code).with_arg("item", instrument.item_number(&item.key))
}

/// An organisation's answers as posted: `(item key, value)` pairs, a multiple choice repeating its
/// key. Other names (the CSRF token, the button) are ignored. A draft may leave items out; a
/// submitted answer (`complete`) must answer every scored item. Every problem names its item.
pub fn parse_answers(
    instrument: &Instrument,
    pairs: &[(String, String)],
    complete: bool,
) -> Result<Answers, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut answers = Answers::new();
    for dimension in &instrument.dimensions {
        for item in &dimension.items {
            let given: Vec<&str> = pairs
                .iter()
                .filter(|(key, value)| *key == item.key && !value.trim().is_empty())
                .map(|(_, value)| value.trim())
                .collect();
            if given.is_empty() {
                if complete && item.kind.is_scored() {
                    errors.add(item_error(instrument, item, "error-reading-answer-required"));
                }
                continue;
            }
            match parse_value(item, &given) {
                Ok(value) => {
                    answers.insert(item.key.clone(), value);
                }
                Err(code) => {
                    let mut error = item_error(instrument, item, code);
                    if code == "error-reading-out-of-scale" {
                        let (min, max) = scale(item);
                        error = error.with_arg("min", format_number(min)).with_arg("max", format_number(max));
                    }
                    errors.add(error);
                }
            }
        }
    }
    errors.into_result()?;
    Ok(answers)
}

/// The answers of an API body (`{"d1i1": 4, "d1i2": [0, 2], "d8i5": "testo"}`) as form pairs.
pub fn pairs_of_json(values: &BTreeMap<String, serde_json::Value>) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for (key, value) in values {
        match value {
            serde_json::Value::Array(list) => {
                pairs.extend(list.iter().map(|v| (key.clone(), json_scalar(v))));
            }
            other => pairs.push((key.clone(), json_scalar(other))),
        }
    }
    pairs
}

fn json_scalar(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The bounds of a numeric answer, for the message.
fn scale(item: &Item) -> (f64, f64) {
    match item.kind {
        ItemKind::Likert => (1.0, LIKERT_POINTS as f64),
        ItemKind::Number => (item.min, item.max),
        _ => (1.0, item.choices.len() as f64),
    }
}

/// A number without a useless ".0".
pub fn format_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 { format!("{}", value as i64) } else { format!("{value}") }
}

/// The maturity bands from the editor's text: one band a line, `FLOOR | etichetta | label`
/// (floor 0–100, the English label optional: the Italian one stands in), floors increasing from 0.
pub fn parse_bands(text: &str) -> Result<Vec<Band>, FieldErrors> {
    let mut bands: Vec<Band> = Vec::new();
    for line in text.lines().map(str::trim).filter(|line| !line.is_empty()) {
        let mut parts = line.split('|').map(str::trim);
        let min = parts.next().and_then(parse_decimal).filter(|min| (0.0..=100.0).contains(min));
        let it = parts.next().filter(|label| !label.is_empty() && label.chars().count() <= 100);
        let en = parts.next().filter(|label| !label.is_empty() && label.chars().count() <= 100).or(it);
        match (min, it, en, parts.next()) {
            (Some(min), Some(it), Some(en), None) if bands.last().is_none_or(|last| last.min < min) => {
                bands.push(Band { min, label: Text::new(it, en) })
            }
            _ => return Err(FieldError::new("bands", "error-reading-band-line").with_arg("line", line).into()),
        }
    }
    if bands.first().is_none_or(|first| first.min != 0.0) {
        return Err(FieldError::new("bands", "error-reading-bands-invalid").into());
    }
    Ok(bands)
}

/// The bands as the editor shows them, one a line.
pub fn bands_text(bands: &[Band]) -> String {
    bands
        .iter()
        .map(|b| format!("{} | {} | {}", format_number(b.min), b.label.it, b.label.en))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A whole number, also as JSON writes it ("3.0").
fn whole(input: &str) -> Option<usize> {
    let value = parse_decimal(input)?;
    (value >= 0.0 && value.fract() == 0.0 && value < 1e9).then_some(value as usize)
}

fn parse_value(item: &Item, given: &[&str]) -> Result<Value, &'static str> {
    match item.kind {
        ItemKind::Likert => {
            let [one] = given else { return Err("error-reading-one-answer") };
            let point = whole(one).ok_or("error-reading-out-of-scale")?;
            if (1..=LIKERT_POINTS).contains(&point) {
                Ok(Value::Number(point as f64))
            } else {
                Err("error-reading-out-of-scale")
            }
        }
        ItemKind::Number => {
            let [one] = given else { return Err("error-reading-one-answer") };
            let value = parse_decimal(one).ok_or("error-reading-number-answer")?;
            if value < item.min || value > item.max {
                return Err("error-reading-out-of-scale");
            }
            Ok(Value::Number(value))
        }
        ItemKind::Single | ItemKind::Multiple => {
            if item.kind == ItemKind::Single && given.len() > 1 {
                return Err("error-reading-one-answer");
            }
            let mut chosen = Vec::new();
            for one in given {
                let index = whole(one).ok_or("error-reading-choice-invalid")?;
                if index >= item.choices.len() {
                    return Err("error-reading-choice-invalid");
                }
                if !chosen.contains(&index) {
                    chosen.push(index);
                }
            }
            chosen.sort_unstable();
            Ok(Value::Choices(chosen))
        }
        ItemKind::Text => {
            let text = given.join("\n");
            if text.chars().count() > MAX_ANSWER_TEXT {
                Err("error-reading-text-too-long")
            } else {
                Ok(Value::Text(text))
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------------------------

/// The score of one answer on 0..1, flipped for a reverse-scored item; `None` for text, a missing
/// answer or an answer that does not fit the item (stored under an older shape).
pub fn item_score(item: &Item, value: Option<&Value>) -> Option<f64> {
    let raw = match (item.kind, value?) {
        (ItemKind::Likert, Value::Number(point)) if (1.0..=LIKERT_POINTS as f64).contains(point) => {
            (point - 1.0) / (LIKERT_POINTS as f64 - 1.0)
        }
        (ItemKind::Number, Value::Number(value)) if item.max > item.min => {
            ((value - item.min) / (item.max - item.min)).clamp(0.0, 1.0)
        }
        (ItemKind::Single, Value::Choices(chosen)) => {
            let scores: Vec<f64> = item.choices.iter().map(|c| c.score).collect();
            let low = scores.iter().copied().fold(f64::INFINITY, f64::min);
            let high = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let score = item.choices.get(*chosen.first()?)?.score;
            if high > low { (score - low) / (high - low) } else { return None }
        }
        (ItemKind::Multiple, Value::Choices(chosen)) => {
            let best: f64 = item.choices.iter().map(|c| c.score.max(0.0)).sum();
            if best <= 0.0 {
                return None;
            }
            let got: f64 = chosen.iter().filter_map(|i| item.choices.get(*i)).map(|c| c.score).sum();
            (got / best).clamp(0.0, 1.0)
        }
        _ => return None,
    };
    Some(if item.reverse { 1.0 - raw } else { raw })
}

fn weighted_mean(pairs: impl Iterator<Item = (f64, Option<f64>)>) -> Option<f64> {
    let (mut total, mut weights) = (0.0, 0.0);
    for (weight, value) in pairs {
        if let Some(value) = value {
            total += weight * value;
            weights += weight;
        }
    }
    (weights > 0.0).then(|| total / weights)
}

/// One organisation's scores: per item (0..1), per dimension and overall (0..100).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    pub items: Vec<Vec<Option<f64>>>,
    pub dimensions: Vec<Option<f64>>,
    pub index: Option<f64>,
}

pub fn score(instrument: &Instrument, answers: &Answers) -> Scores {
    let items: Vec<Vec<Option<f64>>> = instrument
        .dimensions
        .iter()
        .map(|d| d.items.iter().map(|item| item_score(item, answers.get(&item.key))).collect())
        .collect();
    let dimensions: Vec<Option<f64>> = instrument
        .dimensions
        .iter()
        .zip(&items)
        .map(|(d, scores)| {
            weighted_mean(d.items.iter().zip(scores).map(|(item, s)| (item.weight, *s))).map(|s| s * 100.0)
        })
        .collect();
    let index = weighted_mean(instrument.dimensions.iter().zip(&dimensions).map(|(d, s)| (d.weight, *s)));
    Scores { items, dimensions, index }
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// The population standard deviation: how far the organisations' scores lie from their mean.
pub fn standard_deviation(values: &[f64]) -> Option<f64> {
    let mean = mean(values)?;
    Some((values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len() as f64).sqrt())
}

/// The quantile `q` (0..1) of sorted values, interpolated linearly between neighbours.
pub fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let position = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let (low, high) = (position.floor() as usize, position.ceil() as usize);
    Some(sorted[low] + (sorted[high] - sorted[low]) * (position - low as f64))
}

pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    quantile(&sorted, 0.5)
}

/// Minimum, lower quartile, median, upper quartile, maximum.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spread {
    pub min: f64,
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
    pub max: f64,
    pub count: usize,
}

pub fn spread(values: &[f64]) -> Option<Spread> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    Some(Spread {
        min: *sorted.first()?,
        q1: quantile(&sorted, 0.25)?,
        median: quantile(&sorted, 0.5)?,
        q3: quantile(&sorted, 0.75)?,
        max: *sorted.last()?,
        count: sorted.len(),
    })
}

/// How much a network's organisations agree on a dimension, from the standard deviation of their
/// scores (points on 0..100). One organisation alone says nothing about agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Agreement {
    High,
    Medium,
    Low,
}

/// Below this standard deviation the organisations agree (a Likert point is 25).
pub const HIGH_AGREEMENT: f64 = 10.0;
pub const MEDIUM_AGREEMENT: f64 = 20.0;

impl Agreement {
    pub fn of(deviation: f64) -> Agreement {
        if deviation <= HIGH_AGREEMENT {
            Agreement::High
        } else if deviation <= MEDIUM_AGREEMENT {
            Agreement::Medium
        } else {
            Agreement::Low
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Agreement::High => "reading-agreement-high",
            Agreement::Medium => "reading-agreement-medium",
            Agreement::Low => "reading-agreement-low",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DimensionResult {
    /// The mean of the organisations' scores, 0..100.
    pub score: Option<f64>,
    /// Their standard deviation (with two organisations or more).
    pub deviation: Option<f64>,
    pub agreement: Option<Agreement>,
    pub answers: usize,
}

/// A network's profile in one round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Profile {
    pub dimensions: Vec<DimensionResult>,
    pub index: Option<f64>,
    pub band: Option<usize>,
    /// The mean score of each item, 0..1.
    pub items: Vec<Vec<Option<f64>>>,
    pub organisations: usize,
}

/// Aggregates the scores of a network's organisations.
pub fn profile(instrument: &Instrument, scores: &[Scores]) -> Profile {
    let dimensions: Vec<DimensionResult> = (0..instrument.dimensions.len())
        .map(|d| {
            let values: Vec<f64> = scores.iter().filter_map(|s| s.dimensions.get(d).copied().flatten()).collect();
            let deviation = (values.len() >= 2).then(|| standard_deviation(&values)).flatten();
            DimensionResult {
                score: mean(&values),
                deviation,
                agreement: deviation.map(Agreement::of),
                answers: values.len(),
            }
        })
        .collect();
    let items = instrument
        .dimensions
        .iter()
        .enumerate()
        .map(|(d, dimension)| {
            (0..dimension.items.len())
                .map(|i| {
                    let values: Vec<f64> = scores
                        .iter()
                        .filter_map(|s| s.items.get(d).and_then(|items| items.get(i)).copied().flatten())
                        .collect();
                    mean(&values)
                })
                .collect()
        })
        .collect();
    let index = weighted_mean(instrument.dimensions.iter().zip(&dimensions).map(|(d, r)| (d.weight, r.score)));
    Profile { dimensions, index, band: index.and_then(|i| instrument.band(i)), items, organisations: scores.len() }
}

/// A growth space: a weak dimension and the items that pulled it down, weakest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GrowthSpace {
    pub dimension: usize,
    pub items: Vec<usize>,
}

/// The `count` weakest dimensions with a score, each with up to two items scoring below it.
pub fn growth_spaces(profile: &Profile, count: usize) -> Vec<GrowthSpace> {
    let mut scored: Vec<(usize, f64)> =
        profile.dimensions.iter().enumerate().filter_map(|(d, r)| r.score.map(|s| (d, s))).collect();
    scored.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    scored
        .into_iter()
        .take(count)
        .map(|(d, score)| {
            let mut items: Vec<(usize, f64)> = profile.items[d]
                .iter()
                .enumerate()
                .filter_map(|(i, s)| s.map(|s| (i, s * 100.0)))
                .filter(|(_, s)| *s <= score)
                .collect();
            items.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
            GrowthSpace { dimension: d, items: items.into_iter().take(2).map(|(i, _)| i).collect() }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Rounds
// ---------------------------------------------------------------------------------------------

/// When in the programme a round takes the network's measure (rilevazione ex ante, intermedia,
/// finale).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundKind {
    Baseline,
    Midterm,
    Final,
}

impl RoundKind {
    pub const ALL: [RoundKind; 3] = [RoundKind::Baseline, RoundKind::Midterm, RoundKind::Final];

    pub fn code(self) -> &'static str {
        match self {
            RoundKind::Baseline => "baseline",
            RoundKind::Midterm => "midterm",
            RoundKind::Final => "final",
        }
    }

    pub fn parse(input: &str) -> Result<RoundKind, FieldError> {
        RoundKind::ALL
            .into_iter()
            .find(|kind| kind.code() == input.trim())
            .ok_or_else(|| FieldError::new("kind", "error-reading-round-kind-invalid"))
    }

    pub fn label_key(self) -> String {
        format!("reading-round-{}", self.code())
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct RoundRaw {
    pub kind: String,
    pub version_id: String,
    pub opens_on: String,
    pub closes_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundInput {
    pub kind: RoundKind,
    pub version_id: String,
    pub opens_on: time::Date,
    pub closes_on: time::Date,
}

/// The published versions a round may use.
pub struct RoundContext<'a> {
    pub published_version_ids: &'a [String],
}

impl RoundInput {
    pub fn parse(raw: &RoundRaw, context: &RoundContext<'_>) -> Result<RoundInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let kind = errors.check(RoundKind::parse(&raw.kind));
        let version = raw.version_id.trim();
        if !context.published_version_ids.iter().any(|id| id == version) {
            errors.push("version_id", "error-reading-version-not-published");
        }
        let date = |errors: &mut FieldErrors, field: &'static str, input: &str| {
            if input.trim().is_empty() {
                errors.push(field, "error-required");
                return None;
            }
            let date = crate::dates::parse(input);
            if date.is_none() {
                errors.push(field, crate::dates::INVALID);
            }
            date
        };
        let opens_on = date(&mut errors, "opens_on", &raw.opens_on);
        let closes_on = date(&mut errors, "closes_on", &raw.closes_on);
        if let (Some(opens), Some(closes)) = (opens_on, closes_on)
            && closes < opens
        {
            errors.push("closes_on", "error-reading-deadline-before-opening");
        }
        errors.into_result()?;
        Ok(RoundInput {
            kind: kind.expect("checked"),
            version_id: version.to_owned(),
            opens_on: opens_on.expect("checked"),
            closes_on: closes_on.expect("checked"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn likert(key: &str, reverse: bool) -> Item {
        Item {
            key: key.into(),
            text: Text::new(key, key),
            kind: ItemKind::Likert,
            anchors: Vec::new(),
            choices: Vec::new(),
            min: 0.0,
            max: 0.0,
            weight: 1.0,
            reverse,
        }
    }

    fn small() -> Instrument {
        let mut number = likert("d2i2", false);
        number.kind = ItemKind::Number;
        number.max = 10.0;
        number.weight = 3.0;
        let mut choice = likert("d2i1", false);
        choice.kind = ItemKind::Single;
        choice.choices = vec![
            Choice { label: Text::new("no", "no"), score: 0.0 },
            Choice { label: Text::new("sì", "yes"), score: 2.0 },
        ];
        Instrument {
            name: Text::new("Prova", "Test"),
            dimensions: vec![
                Dimension {
                    key: "d1".into(),
                    name: Text::new("Uno", "One"),
                    guide: Text::default(),
                    weight: 1.0,
                    items: vec![likert("d1i1", false), likert("d1i2", true)],
                },
                Dimension {
                    key: "d2".into(),
                    name: Text::new("Due", "Two"),
                    guide: Text::default(),
                    weight: 1.0,
                    items: vec![choice, number],
                },
            ],
            bands: vec![
                Band { min: 0.0, label: Text::new("Avvio", "Start") },
                Band { min: 50.0, label: Text::new("Sviluppo", "Growing") },
            ],
        }
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn the_default_instrument_has_eight_dimensions_of_four_to_six_items() {
        let instrument = default_instrument();
        assert_eq!(instrument.dimensions.len(), 8);
        for dimension in &instrument.dimensions {
            assert!((4..=6).contains(&dimension.items.len()), "{}", dimension.name.it);
            assert!(!dimension.guide.it.is_empty() && !dimension.guide.en.is_empty());
            assert!(!dimension.name.en.is_empty());
            for item in &dimension.items {
                assert!(!item.text.it.is_empty() && !item.text.en.is_empty(), "{}", item.key);
                assert!(item.key.starts_with(&dimension.key));
            }
        }
        instrument.check_publishable().unwrap();
    }

    #[test]
    fn scores_are_weighted_means_with_reverse_items_flipped() {
        let instrument = small();
        let answers =
            parse_answers(&instrument, &pairs(&[("d1i1", "5"), ("d1i2", "5"), ("d2i1", "1"), ("d2i2", "2,5")]), true)
                .unwrap();
        let scores = score(&instrument, &answers);
        assert_eq!(scores.dimensions[0], Some(50.0), "5 and reversed 5 average to the middle");
        assert_eq!(scores.dimensions[1], Some((100.0 + 3.0 * 25.0) / 4.0));
        assert_eq!(scores.index, Some((50.0 + 43.75) / 2.0));
        assert_eq!(instrument.band(scores.index.unwrap()), Some(0));
        assert_eq!(instrument.band(50.0), Some(1));
    }

    #[test]
    fn answers_outside_the_scale_name_their_item_and_drafts_may_be_partial() {
        let instrument = small();
        let errors =
            parse_answers(&instrument, &pairs(&[("d1i1", "6"), ("d2i1", "7"), ("d2i2", "11")]), false).unwrap_err();
        assert_eq!(errors.0.len(), 3);
        assert_eq!(errors.get("d1i1").unwrap().code, "error-reading-out-of-scale");
        assert!(errors.get("d1i1").unwrap().args.contains(&("item", "1.1".to_owned())));
        assert!(errors.get("d1i1").unwrap().args.contains(&("max", "5".to_owned())));
        assert_eq!(errors.get("d2i1").unwrap().code, "error-reading-choice-invalid");
        assert_eq!(errors.get("d2i2").unwrap().code, "error-reading-out-of-scale");
        assert!(parse_answers(&instrument, &pairs(&[("d1i1", "3")]), false).is_ok());
        let missing = parse_answers(&instrument, &pairs(&[("d1i1", "3")]), true).unwrap_err();
        assert_eq!(missing.0.len(), 3);
    }

    #[test]
    fn the_profile_reports_agreement_and_growth_spaces() {
        let instrument = small();
        let a = score(
            &instrument,
            &parse_answers(&instrument, &pairs(&[("d1i1", "5"), ("d1i2", "1"), ("d2i1", "0"), ("d2i2", "0")]), true)
                .unwrap(),
        );
        let b = score(
            &instrument,
            &parse_answers(&instrument, &pairs(&[("d1i1", "1"), ("d1i2", "5"), ("d2i1", "0"), ("d2i2", "1")]), true)
                .unwrap(),
        );
        let profile = profile(&instrument, &[a, b]);
        assert_eq!(profile.dimensions[0].score, Some(50.0));
        assert_eq!(profile.dimensions[0].deviation, Some(50.0));
        assert_eq!(profile.dimensions[0].agreement, Some(Agreement::Low));
        let spaces = growth_spaces(&profile, 1);
        assert_eq!(spaces, vec![GrowthSpace { dimension: 1, items: vec![0] }]);
    }

    #[test]
    fn editing_adds_moves_and_removes() {
        let mut instrument = small();
        let raw = DimensionRaw { name_it: "Tre".into(), order: "1".into(), ..Default::default() };
        let key = instrument.add_dimension(DimensionInput::parse(&raw).unwrap());
        assert_eq!(key, "d3");
        assert_eq!(instrument.dimensions[0].key, "d3");
        let item = ItemRaw {
            text_it: "Domanda".into(),
            kind: "single".into(),
            choices: "0 | no | no\n1 | sì | yes".into(),
            ..Default::default()
        };
        let item_key = instrument.add_item("d3", ItemInput::parse(&item).unwrap()).unwrap();
        assert_eq!(item_key, "d3i1");
        instrument.check_publishable().unwrap();
        instrument.remove_item("d3i1").unwrap();
        assert!(instrument.check_publishable().is_err());
        instrument.remove_dimension("d3").unwrap();
        assert_eq!(instrument, small());
        let bad = ItemRaw {
            text_it: String::new(),
            kind: "number".into(),
            min: "5".into(),
            max: "1".into(),
            ..Default::default()
        };
        let errors = ItemInput::parse(&bad).unwrap_err();
        assert_eq!(errors.for_field("text_it"), Some("error-required"));
        assert_eq!(errors.for_field("max"), Some("error-reading-bounds-invalid"));
    }

    proptest! {
        #[test]
        fn scores_stay_within_bounds(points in proptest::collection::vec(1usize..=5, 2), choice in 0usize..2, number in 0.0f64..=10.0) {
            let instrument = small();
            let given = pairs(&[("d1i1", &points[0].to_string()), ("d1i2", &points[1].to_string()), ("d2i1", &choice.to_string()), ("d2i2", &number.to_string())]);
            let scores = score(&instrument, &parse_answers(&instrument, &given, true).unwrap());
            let index = scores.index.unwrap();
            prop_assert!((0.0..=100.0).contains(&index));
            for d in scores.dimensions {
                prop_assert!((0.0..=100.0).contains(&d.unwrap()));
            }
        }

        #[test]
        fn quartiles_are_ordered(values in proptest::collection::vec(0.0f64..100.0, 1..30)) {
            let s = spread(&values).unwrap();
            prop_assert!(s.min <= s.q1 && s.q1 <= s.median && s.median <= s.q3 && s.q3 <= s.max);
        }
    }

    #[test]
    fn bands_come_from_lines_and_refuse_a_floor_out_of_order() {
        let bands = parse_bands("0 | Avvio | Start\n\n40 | Sviluppo\n75 | Generativa | Generative\n").unwrap();
        assert_eq!(bands.len(), 3);
        assert_eq!(bands[1].label, Text::new("Sviluppo", "Sviluppo"));
        assert_eq!(parse_bands(&bands_text(&bands)).unwrap(), bands);
        let refused = |text: &str| parse_bands(text).unwrap_err().0[0].code;
        assert_eq!(refused("0 | A\n50 | B\n40 | C"), "error-reading-band-line");
        assert_eq!(refused("0 | A\n120 | B"), "error-reading-band-line");
        assert_eq!(refused("0 |"), "error-reading-band-line");
        assert_eq!(refused("10 | A"), "error-reading-bands-invalid");
        assert_eq!(refused(""), "error-reading-bands-invalid");
    }
}
