//! The demos the site can run, their parameters with defaults and bounds,
//! and how to run each.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::forms::{FieldErrors, Problem};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamKind {
    Integer,
    Number,
}

/// One parameter of a demo's form.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParamSpec {
    pub name: &'static str,
    pub kind: ParamKind,
    pub default: f64,
    pub min: f64,
    pub max: f64,
}

/// Runs a demo with checked parameters; calls `progress(fraction)`, which
/// answers false to stop. `Ok(None)`: stopped; `Err`: the demo failed.
pub type Execute = fn(&Value, &mut dyn FnMut(f64) -> bool) -> Result<Option<Value>, String>;

pub struct DemoSpec {
    pub id: &'static str,
    pub params: &'static [ParamSpec],
    pub execute: Execute,
}

impl DemoSpec {
    /// Checks the submitted values against the bounds; missing ones take
    /// their defaults. The result's keys are sorted, so equal requests are
    /// equal JSON.
    pub fn parse(&self, raw: &BTreeMap<String, String>) -> Result<Value, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut params = Map::new();
        for spec in self.params {
            let value = match raw.get(spec.name).map(|v| v.trim()).filter(|v| !v.is_empty()) {
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
                errors.add(spec.name, Problem::OutOfRange { min: spec.min as i64, max: spec.max as i64 });
                continue;
            }
            let json = match spec.kind {
                ParamKind::Integer => Value::from(value as i64),
                ParamKind::Number => Value::from(value),
            };
            params.insert(spec.name.to_owned(), json);
        }
        if errors.is_empty() { Ok(Value::Object(params)) } else { Err(errors) }
    }
}

const CALIBRATION_PARAMS: &[ParamSpec] = &[
    ParamSpec { name: "seed", kind: ParamKind::Integer, default: 0.0, min: 0.0, max: 1e9 },
    ParamSpec { name: "days", kind: ParamKind::Integer, default: 5.0, min: 2.0, max: 14.0 },
    ParamSpec { name: "lists_per_day", kind: ParamKind::Integer, default: 400.0, min: 20.0, max: 2000.0 },
    ParamSpec { name: "items_per_list", kind: ParamKind::Integer, default: 20.0, min: 5.0, max: 50.0 },
    ParamSpec { name: "features", kind: ParamKind::Integer, default: 8.0, min: 2.0, max: 32.0 },
    ParamSpec { name: "steps", kind: ParamKind::Integer, default: 1500.0, min: 50.0, max: 5000.0 },
    ParamSpec { name: "learning_rate", kind: ParamKind::Number, default: 1.0, min: 0.01, max: 5.0 },
    ParamSpec { name: "drift", kind: ParamKind::Number, default: 0.02, min: 0.0, max: 1.0 },
    ParamSpec { name: "y0", kind: ParamKind::Number, default: 0.1, min: 0.001, max: 1.0 },
    ParamSpec { name: "alpha", kind: ParamKind::Number, default: 0.5, min: 0.0, max: 1.0 },
];

fn run_calibration(params: &Value, progress: &mut dyn FnMut(f64) -> bool) -> Result<Option<Value>, String> {
    use paperclub_demos::calibration;
    use paperclub_demos::progress::Flow;
    let params: calibration::Params = serde_json::from_value(params.clone()).map_err(|e| e.to_string())?;
    match calibration::run(&params, &mut |p| if progress(p.fraction()) { Flow::Continue } else { Flow::Stop }) {
        Ok(report) => serde_json::to_value(report).map(Some).map_err(|e| e.to_string()),
        Err(paperclub_demos::progress::Cancelled) => Ok(None),
    }
}

/// Every demo the site offers.
pub const DEMOS: &[DemoSpec] =
    &[DemoSpec { id: "calibrated-ranking", params: CALIBRATION_PARAMS, execute: run_calibration }];

pub fn find(id: &str) -> Option<&'static DemoSpec> {
    DEMOS.iter().find(|demo| demo.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_take_defaults_and_out_of_range_values_are_refused() {
        let demo = find("calibrated-ranking").unwrap();
        let params = demo.parse(&BTreeMap::new()).unwrap();
        assert_eq!(params["days"], 5);
        assert_eq!(params["alpha"], 0.5);
        let raw: BTreeMap<String, String> = [("days", "1"), ("alpha", "x"), ("steps", "100.5")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let errors = demo.parse(&raw).unwrap_err();
        assert_eq!(errors.get("days"), Some(&Problem::OutOfRange { min: 2, max: 14 }));
        assert_eq!(errors.get("alpha"), Some(&Problem::NotANumber));
        assert_eq!(errors.get("steps"), Some(&Problem::NotANumber));
    }
}
