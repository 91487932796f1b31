//! What a demo's entry says about it: what it shows, its parameters with
//! defaults and bounds, the paper's own numbers, how to run it and how to
//! present its report. Each demo's entry (a module beside this one) fills a
//! `DemoSpec`; `registry` lists them.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use paperclub_demos::progress::{Flow, Halt, Progress};

use super::budget::CostModel;
use crate::forms::{FieldErrors, Problem};
use crate::lang::Lang;
use crate::views::{DemoCard, DemoField, DemoResult, ResultTable};
use crate::words::demos::{DemoWords, demo_words};

/// A demo's text: which of the catalogue's words it is (`Text(|w| w.gqa.title)`),
/// so a spec, a `const`, can name words that live in the catalogue's statics.
#[derive(Clone, Copy)]
pub struct Text(pub fn(&'static DemoWords) -> &'static str);

impl Text {
    pub fn get(self, lang: Lang) -> &'static str {
        (self.0)(demo_words(lang))
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Text").field(&self.get(Lang::En)).finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamKind {
    Integer,
    Number,
}

/// How a claim sentence ends: whether the paper's claim held in this run.
pub fn verdict(held: bool, lang: Lang) -> &'static str {
    let words = &crate::words::words(lang).site;
    if held { words.claim_held } else { words.claim_did_not_hold }
}

/// One parameter of a demo's form.
#[derive(Debug, Clone, Copy)]
pub struct ParamSpec {
    pub name: &'static str,
    pub kind: ParamKind,
    pub default: f64,
    pub min: f64,
    pub max: f64,
    pub help: Text,
}

/// A whole-number parameter, for the demos' tables of parameters.
pub const fn int(name: &'static str, default: f64, min: f64, max: f64, help: Text) -> ParamSpec {
    ParamSpec { name, kind: ParamKind::Integer, default, min, max, help }
}

/// A decimal parameter.
pub const fn real(name: &'static str, default: f64, min: f64, max: f64, help: Text) -> ParamSpec {
    ParamSpec { kind: ParamKind::Number, ..int(name, default, min, max, help) }
}

/// Every demo's seed: the same seed gives the same data and the same result.
pub const SEED: ParamSpec = int("seed", 0.0, 0.0, 1e9, Text(|w| w.seed));

impl ParamSpec {
    fn show(&self, value: f64) -> String {
        match self.kind {
            ParamKind::Integer => format!("{}", value as i64),
            ParamKind::Number => format!("{value}"),
        }
    }
}

/// What a run gets: its checked parameters and, for demos that accept one,
/// the uploaded data set's CSV.
pub struct Input<'a> {
    pub params: &'a Value,
    pub dataset: Option<&'a str>,
}

/// Runs a demo; calls `progress(fraction)`, which answers false to stop.
/// `Ok(None)`: stopped; `Err`: the demo failed, with a reason for people.
pub type Execute = fn(Input<'_>, &mut dyn FnMut(f64) -> bool) -> Result<Option<Value>, String>;

/// A demo crate's entry point: parameters and a progress callback in, a
/// report out, or why not (`Cancelled`, or a `Halt` for demos that can fail).
pub type DemoRun<P, R, E> = fn(&P, &mut dyn FnMut(Progress) -> Flow) -> Result<R, E>;

/// The usual `Execute`: parameters from JSON, the demo's `run` with a progress
/// adapter, its report back to JSON; a stopped run is `Ok(None)`, a failed
/// one the reason.
pub fn execute_report<P, R, E>(
    input: Input<'_>,
    progress: &mut dyn FnMut(f64) -> bool,
    run: DemoRun<P, R, E>,
) -> Result<Option<Value>, String>
where
    P: serde::de::DeserializeOwned,
    R: serde::Serialize,
    E: Into<Halt>,
{
    let params: P = serde_json::from_value(input.params.clone()).map_err(|e| e.to_string())?;
    match run(&params, &mut |p| if progress(p.fraction()) { Flow::Continue } else { Flow::Stop }).map_err(Into::into) {
        Ok(report) => serde_json::to_value(report).map(Some).map_err(|e| e.to_string()),
        Err(Halt::Cancelled) => Ok(None),
        Err(Halt::Failed(reason)) => Err(reason),
    }
}

/// A form's raw values, for tests.
#[cfg(test)]
pub(crate) fn raw_form(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// Problems by parameter name that only several parameters together reveal.
pub type Check = fn(&Map<String, Value>) -> Vec<(&'static str, Problem)>;

pub struct DemoSpec {
    pub id: &'static str,
    pub title: Text,
    pub paper: &'static str,
    pub idea: Text,
    pub default_seconds: u32,
    pub params: &'static [ParamSpec],
    /// Checks that involve several parameters (bounds that depend on others).
    pub check: Check,
    /// How time and memory grow with the parameters: a set predicted over
    /// the budget is refused before it is queued.
    pub cost: CostModel,
    /// Whether a visitor may upload a `user,item,timestamp` CSV to run on,
    /// and which parameters still apply then (the rest describe generated data).
    pub accepts_upload: bool,
    pub upload_params: &'static [&'static str],
    pub paper_numbers: fn(Lang) -> ResultTable,
    pub execute: Execute,
    /// The generated data of a run with these parameters, as CSV (for the
    /// numpy reference or the visitor's own tools), for demos that have it.
    pub export_data: Option<fn(&Value) -> Option<String>>,
    /// The stored report as tables and plots; `None` if it cannot be read
    /// (a report of an older version of the demo).
    pub present: fn(&Value, Lang) -> Option<DemoResult>,
}

impl DemoSpec {
    /// Checks the submitted values against the bounds; missing ones take
    /// their defaults. The result's keys are sorted, so equal requests are
    /// equal JSON.
    pub fn parse(&self, raw: &BTreeMap<String, String>) -> Result<Map<String, Value>, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut params = Map::new();
        for spec in self.params {
            let value = match raw.get(spec.name).map(|v| v.trim().replace(',', ".")).filter(|v| !v.is_empty()) {
                None => spec.default,
                Some(text) => match text.parse::<f64>() {
                    Ok(number) if number.is_finite() => number,
                    _ => {
                        errors.add(spec.name, Problem::NotANumber);
                        continue;
                    }
                },
            };
            if spec.kind == ParamKind::Integer && value.fract() != 0.0 {
                errors.add(spec.name, Problem::NotANumber);
                continue;
            }
            if value < spec.min || value > spec.max {
                errors.add(spec.name, Problem::NotBetween { min: spec.show(spec.min), max: spec.show(spec.max) });
                continue;
            }
            let json = match spec.kind {
                ParamKind::Integer => Value::from(value as i64),
                ParamKind::Number => Value::from(value),
            };
            params.insert(spec.name.to_owned(), json);
        }
        if errors.is_empty() {
            for (field, problem) in (self.check)(&params) {
                errors.add(field, problem);
            }
        }
        // The cost models assume the parameters fit together.
        if errors.is_empty() {
            for (field, problem) in super::budget::problems(self, &params) {
                errors.add(field, problem);
            }
        }
        if errors.is_empty() { Ok(params) } else { Err(errors) }
    }

    pub fn card(&self, lang: Lang) -> DemoCard {
        DemoCard {
            id: self.id.to_owned(),
            title: self.title.get(lang).to_owned(),
            paper: self.paper.to_owned(),
            idea: self.idea.get(lang).to_owned(),
            default_seconds: self.default_seconds,
        }
    }

    pub fn fields(&self, lang: Lang) -> Vec<DemoField> {
        self.fields_where(lang, |_| true)
    }

    /// The form fields for an upload, if the demo takes one.
    pub fn upload_fields(&self, lang: Lang) -> Option<Vec<DemoField>> {
        self.accepts_upload.then(|| self.fields_where(lang, |name| self.upload_params.contains(&name)))
    }

    fn fields_where(&self, lang: Lang, keep: impl Fn(&str) -> bool) -> Vec<DemoField> {
        self.params
            .iter()
            .filter(|spec| keep(spec.name))
            .map(|spec| DemoField {
                name: spec.name.to_owned(),
                help: spec.help.get(lang).to_owned(),
                default: spec.show(spec.default),
                min: spec.show(spec.min),
                max: spec.show(spec.max),
                integer: spec.kind == ParamKind::Integer,
            })
            .collect()
    }
}

/// A number of a parameter map (all parameters are numbers once parsed).
pub fn number(params: &Map<String, Value>, name: &str) -> f64 {
    params.get(name).and_then(Value::as_f64).unwrap_or(f64::NAN)
}
