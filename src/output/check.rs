//! `check`: one line, or the report as JSON/YAML.

use super::{Format, OutputError, print_line, print_value};
use crate::registry::{CheckReport, Outcome};

/// Prints the answer of `check`.
pub fn print_check(report: &CheckReport, format: Option<Format>) -> Result<(), OutputError> {
    match format {
        Some(format) => print_value(report, format),
        None => match &report.rate_limit {
            Some(limit) => print_line(&format!(
                "{}\nrate limit: {} ({})",
                human_line(report),
                limit.describe(),
                report.registry
            )),
            None => print_line(&human_line(report)),
        },
    }
}

/// `ok: secret/regcred can pull IMAGE` or `denied: secret/regcred cannot pull IMAGE: why`.
fn human_line(report: &CheckReport) -> String {
    match report.result {
        Outcome::Ok => format!("ok: {} can pull {}", report.who(), report.image),
        other => format!(
            "{}: {} cannot pull {}: {}",
            other.as_str(),
            report.who(),
            report.image,
            report.detail
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(result: Outcome, detail: &str) -> CheckReport {
        CheckReport {
            secret: Some("regcred".into()),
            namespace: Some("team-a".into()),
            image: "127.0.0.1:5000/team/app:1.0".into(),
            registry: "127.0.0.1:5000".into(),
            entry: Some("127.0.0.1:5000".into()),
            result,
            detail: detail.into(),
            digest: None,
            rate_limit: None,
        }
    }

    #[test]
    fn human_lines_lead_with_the_result() {
        assert_eq!(
            human_line(&report(Outcome::Ok, "served")),
            "ok: secret/regcred can pull 127.0.0.1:5000/team/app:1.0"
        );
        assert_eq!(
            human_line(&report(Outcome::Denied, "401 Unauthorized")),
            "denied: secret/regcred cannot pull 127.0.0.1:5000/team/app:1.0: 401 Unauthorized"
        );
    }
}
