//! `kubectl regcred diagnose --message`: explain pasted image-pull failure texts, offline.

use std::io::Read;

use serde::Serialize;

use crate::cli::{DiagnoseArgs, KubeArgs};
use crate::diagnose::{self, Cause, FixContext};
use crate::error::Error;
use crate::output;

/// One explained message, as `-o json` prints it.
#[derive(Debug, Serialize)]
pub struct Explained {
    pub message: String,
    pub cause: Cause,
    pub summary: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registry: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    pub evidence: String,
    pub fix: String,
}

/// Runs `diagnose --message`: explaining succeeded, so the exit code is 0 whatever the cause.
pub fn run(kube: &KubeArgs, args: &DiagnoseArgs) -> Result<(), Error> {
    let messages = messages(&args.message)?;
    let namespace = kube.namespace.first().map(String::as_str);
    let explained: Vec<Explained> = messages
        .into_iter()
        .map(|message| {
            let found = diagnose::classify(None, &[message.as_str()]);
            let fix = diagnose::fix_for(
                &found,
                FixContext {
                    namespace,
                    secret: &args.secret,
                },
            );
            Explained {
                cause: found.cause,
                summary: found.summary,
                registry: found.registry,
                image: found.image,
                evidence: found.evidence,
                fix,
                message,
            }
        })
        .collect();
    match args.output {
        Some(format) => output::print_value(&explained, format)?,
        None => output::print_explanations(&explained)?,
    }
    Ok(())
}

/// The messages from `--message`, with `-` read from stdin one per line.
fn messages(given: &[String]) -> Result<Vec<String>, Error> {
    let mut messages = Vec::new();
    for message in given {
        if message == "-" {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).map_err(|e| {
                Error::Usage(format!("cannot read messages from standard input: {e}"))
            })?;
            messages.extend(
                text.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_string),
            );
        } else if !message.trim().is_empty() {
            messages.push(message.trim().to_string());
        }
    }
    if messages.is_empty() {
        return Err(Error::Usage(
            "no message to explain: pass --message TEXT or --message -".into(),
        ));
    }
    Ok(messages)
}
