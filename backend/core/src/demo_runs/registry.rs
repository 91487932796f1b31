//! Every demo the site can run, in the catalogue's order. Each entry is a
//! module beside this one filling a `spec::DemoSpec`.

#[cfg(test)]
use std::collections::BTreeMap;

pub use super::spec::DemoSpec;
#[cfg(test)]
use super::spec::raw_form;
#[cfg(test)]
use crate::forms::Problem;
#[cfg(test)]
use crate::lang::Lang;

/// Every demo the site offers, in the catalogue's order.
pub const DEMOS: &[&DemoSpec] = &[
    &super::sequences::SPEC,
    &super::calibration::SPEC,
    &super::dlrm::SPEC,
    &super::performative::SPEC,
    &super::sizes::CACHE,
    &super::gqa::SPEC,
    &super::sizes::ADAPTERS,
    &super::lidb::SPEC,
];

pub fn find(id: &str) -> Option<&'static DemoSpec> {
    DEMOS.iter().copied().find(|demo| demo.id == id)
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
        let errors = demo.parse(&raw_form(&[("days", "1"), ("alpha", "x"), ("steps", "100.5")])).unwrap_err();
        assert_eq!(errors.get("days"), Some(&Problem::NotBetween { min: "2".into(), max: "14".into() }));
        assert_eq!(errors.get("alpha"), Some(&Problem::NotANumber));
        assert_eq!(errors.get("steps"), Some(&Problem::NotANumber));
        // A decimal comma is a decimal point.
        assert_eq!(demo.parse(&raw_form(&[("alpha", "0,25")])).unwrap()["alpha"], 0.25);
    }

    #[test]
    fn every_demo_has_both_languages_and_defaults_within_bounds() {
        for demo in DEMOS {
            assert!(find(demo.id).is_some());
            for spec in demo.params {
                assert!(spec.min <= spec.default && spec.default <= spec.max, "{}.{}", demo.id, spec.name);
                for lang in Lang::ALL {
                    assert!(!spec.help.get(lang).is_empty(), "{}.{} in {lang:?}", demo.id, spec.name);
                }
            }
            assert!(demo.parse(&BTreeMap::new()).is_ok(), "{}: the defaults pass the checks", demo.id);
            for lang in Lang::ALL {
                assert!(!(demo.paper_numbers)(lang).rows.is_empty());
            }
        }
    }
}
