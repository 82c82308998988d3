//! `explain --verify`: asks each image's registry what the node would be answered, with each
//! credential the kubelet tries ([`Prober::probe`], as `check` asks), and anonymously when none
//! works or none matches.

use crate::registry::{ImageRef, Outcome, Prober};

use super::{Explained, SecretRead, Secrets, Verified};

/// Fills in `verified` for every image of `explained` that the kubelet could pull, probing one
/// credential at a time. `secrets` are the ones `explained` was made from.
pub async fn verify(explained: &mut Explained, secrets: &Secrets, prober: &Prober) {
    let is_blocked = secrets
        .iter()
        .any(|(_, read)| matches!(read, SecretRead::Unreadable { .. }));
    for image in &mut explained.images {
        let Ok(reference) = ImageRef::parse(&image.image) else {
            continue;
        };
        if is_blocked {
            image.verified = Some(Verified {
                first_working: None,
                anonymous: None,
                pulls: false,
                summary: "not asked: the kubelet cannot read a pull secret of the pod, so every \
                          pull fails"
                    .to_string(),
            });
            continue;
        }
        let mut first_working = None;
        for credential in &mut image.credentials {
            let held = secrets
                .iter()
                .find(|(name, _)| *name == credential.secret)
                .and_then(|(_, read)| read.config())
                .and_then(|config| {
                    (config.entries().iter()).find(|entry| entry.key == credential.key)
                })
                .and_then(|entry| entry.credentials());
            let result = prober.probe(&reference, held).await;
            if result.outcome == Outcome::Ok && first_working.is_none() {
                first_working = Some(credential.order);
            }
            credential.verify = Some(result);
        }
        let anonymous = match first_working {
            Some(_) => None,
            None => Some(prober.probe(&reference, None).await),
        };
        let anonymous_works = anonymous.as_ref().is_some_and(|a| a.outcome == Outcome::Ok);
        let (pulls, summary) = match first_working {
            Some(order) => {
                let credential = &image.credentials[order - 1];
                let user = credential.user.as_deref().unwrap_or("(none)");
                (
                    true,
                    format!(
                        "the first working credential is #{order}: secret {:?} key {} (user {user})",
                        credential.secret, credential.key
                    ),
                )
            }
            None if image.credentials.is_empty() && anonymous_works => (
                true,
                "no credential matches; an anonymous pull works".to_string(),
            ),
            None if image.credentials.is_empty() => (
                false,
                "no credential matches, and the registry refuses an anonymous pull".to_string(),
            ),
            None if anonymous_works => (
                false,
                "no credential works; an anonymous pull would, but the kubelet does not try one \
                 after credentials fail"
                    .to_string(),
            ),
            None => (
                false,
                "no credential works, and the registry refuses an anonymous pull too".to_string(),
            ),
        };
        image.verified = Some(Verified {
            first_working,
            anonymous,
            pulls,
            summary,
        });
    }
}
