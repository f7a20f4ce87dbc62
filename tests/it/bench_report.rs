//! `cargo xtask bench`'s report has the shape its readers rely on: every figure, each with
//! value, unit, baseline, ratio, target and holds of the right JSON types. A tiny run: the
//! codegen figures are measured for real on tiny synthetic specs; the child-process steps
//! (release builds of the client, minutes) are stand-ins with fixed numbers. Timings are not
//! checked, only the shape.

use std::io::Write;

use serde_json::Value;
use xtask::bench::report::{check_shape, FIGURES};
use xtask::bench::{Children, FanOut, Loopback, Plan, Prep};

struct StandIns;

impl Children for StandIns {
    fn prep(&self, _: &Plan, _: &mut dyn Write) -> Result<Prep, String> {
        Ok(Prep {
            ratio_500: 1.1,
            ratio_5000: 1.2,
        })
    }
    fn loopback(&self, _: &Plan, _: &mut dyn Write) -> Result<Loopback, String> {
        Ok(Loopback {
            ratio_c1: 0.95,
            ratio_c64: 0.97,
        })
    }
    fn fan_out(&self, _: &Plan, _: bool, _: &mut dyn Write) -> Result<FanOut, String> {
        Ok(FanOut {
            calls: 2000,
            per_window: 100,
            window_ms: 1000,
            span_ms: 19_500.0,
            self_416: 0,
        })
    }
    fn client_build_s(
        &self,
        _: &Plan,
        features: Option<&str>,
        _: &mut dyn Write,
    ) -> Result<f64, String> {
        Ok(if features.is_some() { 4.5 } else { 12.5 })
    }
    fn codegen_command_ms(&self, _: &Plan, _: &mut dyn Write) -> Result<f64, String> {
        Ok(950.0)
    }
    fn cold_test_s(&self, _: &Plan, _: &mut dyn Write) -> Result<f64, String> {
        Ok(540.0)
    }
}

fn tiny_report() -> Value {
    let mut log = Vec::new();
    let measured =
        xtask::bench::measure(&xtask::workspace_root(), &Plan::tiny(), &StandIns, &mut log);
    let log = String::from_utf8_lossy(&log);
    assert!(measured.failures.is_empty(), "a step failed:\n{log}");
    xtask::bench::report(&measured.figures).unwrap()
}

#[test]
fn a_tiny_run_reports_every_figure_with_the_right_types() {
    let report = tiny_report();
    check_shape(&report).unwrap();
    let figures = report["figures"].as_object().unwrap();
    assert_eq!(figures.len(), FIGURES.len());
    for name in FIGURES {
        let f = &figures[*name];
        assert!(
            f["value"].is_number() && f["unit"].is_string(),
            "{name}: {f}"
        );
        // A comparison names its baseline and carries its ratio; a plain figure has neither.
        assert_eq!(
            f["baseline"].is_string(),
            f["ratio"].is_number(),
            "{name}: {f}"
        );
        // A target comes with a verdict.
        assert_eq!(
            f["target"].is_string(),
            f["holds"].is_boolean(),
            "{name}: {f}"
        );
    }
    assert!(report["machine"]
        .as_str()
        .is_some_and(|m| m.contains("cores")));
    // The fan-out bound is (ceil(2000/100)-1)*1000 ms = 19 s, over the stand-in's 19.5 s.
    let ratio = figures["fan_out_bound_ratio"]["ratio"].as_f64().unwrap();
    assert!((ratio - 19_000.0 / 19_500.0).abs() < 1e-9, "{ratio}");
}

#[test]
fn a_report_missing_a_figure_or_with_a_wrong_type_fails_the_shape_check() {
    let report = tiny_report();

    let mut missing = report.clone();
    missing["figures"]
        .as_object_mut()
        .unwrap()
        .remove("loopback_ratio_c64");
    let problems = check_shape(&missing).unwrap_err();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("`loopback_ratio_c64` is missing")),
        "{problems:?}"
    );

    let mut wrong = report.clone();
    wrong["figures"]["codegen_real_ms"]["value"] = "fast".into();
    wrong["figures"]["prep_ratio_500"]["holds"] = 1.into();
    let problems = check_shape(&wrong).unwrap_err();
    assert_eq!(problems.len(), 2, "{problems:?}");

    let mut no_machine = report;
    no_machine.as_object_mut().unwrap().remove("machine");
    assert!(check_shape(&no_machine).is_err());
}
