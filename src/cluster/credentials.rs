//! Kubeconfig credentials kube does not handle as kubectl does, and its credential errors
//! said without the secrets they carry.

use kube::client::AuthError;
use kube::config::AuthInfo;
use secrecy::SecretString;
use zeroize::Zeroizing;

/// kubectl trims the token it reads from a `tokenFile` (client-go's file token source); kube 5
/// sends it as read, so the newline `echo` and editors leave at the end fails every request
/// ("failed to parse header value"). Such a token is read here, once, and used trimmed; a file
/// without surrounding whitespace stays kube's, re-read every minute.
pub(super) fn trim_token_file(auth: &mut AuthInfo) {
    if auth.token.is_some() {
        return;
    }
    let Some(path) = &auth.token_file else {
        return;
    };
    // An unreadable file is left to kube, which reports it naming the file.
    let Ok(raw) = std::fs::read_to_string(path).map(Zeroizing::new) else {
        return;
    };
    let token = raw.trim();
    if token.len() != raw.len() {
        auth.token = Some(SecretString::from(token.to_string()));
        auth.token_file = None;
    }
}

/// What kube's failure to authenticate means, said without what its own message holds: the
/// `Debug` of the exec plugin's `Command` (every `exec.env` value) and `Output` (all it printed
/// on stdout). None for errors that are not about the credentials.
pub(super) fn auth_failure(err: &AuthError, exec_command: Option<&str>) -> Option<String> {
    let plugin = match exec_command {
        Some(command) => format!("the exec credential plugin {command}"),
        None => "the exec credential plugin".into(),
    };
    Some(match err {
        AuthError::AuthExecRun { out, .. } => {
            let stderr = String::from_utf8_lossy(&out.stderr);
            match stderr.trim() {
                "" => format!("{plugin} failed with {}", out.status),
                message => format!("{plugin} failed with {}: {message}", out.status),
            }
        }
        AuthError::AuthExecStart(err) => format!("cannot run {plugin}: {err}"),
        AuthError::AuthExecParse(_) | AuthError::ExecPluginFailed => {
            format!("{plugin} printed no valid ExecCredential on stdout")
        }
        AuthError::ReadTokenFile(err, path) => {
            format!("cannot read the token file {}: {err}", path.display())
        }
        AuthError::InvalidBearerToken(_) => {
            "the bearer token holds characters no HTTP header may (a line break?)".into()
        }
        _ => return None,
    })
}
