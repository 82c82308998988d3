//! `kubectl regcred login`, `logout` and `logins`: registry credentials in the OS keyring,
//! for `create --from-keyring`.

use zeroize::Zeroizing;

use crate::cli::{LoginArgs, LoginsArgs, LogoutArgs};
use crate::creds::{self, keyring, password};
use crate::dockerconfig::{self, RegistryKey};
use crate::error::Error;
use crate::output;

/// Runs `login`: checks the input, finds the keyring, then reads the password and stores it.
pub fn login(args: &LoginArgs) -> Result<(), Error> {
    if args.password_on_command_line.is_some() {
        return Err(Error::PasswordOnCommandLine);
    }
    let registry = registry_key(&args.server)?;
    let can_ask = creds::can_ask();
    if !args.password_stdin && !can_ask {
        return Err(Error::Usage(
            "no terminal to ask for the password on: pipe it in with --password-stdin".into(),
        ));
    }
    if args.username.is_none() && (args.password_stdin || !can_ask) {
        return Err(Error::Usage(
            "pass --username (standard input holds the password)".into(),
        ));
    }
    // Before asking for anything: a missing keyring is no reason to type a password.
    keyring::probe()?;
    let username = match &args.username {
        Some(username) => username.clone(),
        None => ask_username(&registry)?,
    };
    dockerconfig::validate_username(&username).map_err(Error::InvalidUsername)?;
    let secret = if args.password_stdin {
        password::from_stdin()?
    } else {
        ask_password(&registry, &username)?
    };
    keyring::store(&registry, &username, secret)?;
    output::print_line(&format!(
        "login for {registry} as {username} stored in the OS keyring"
    ))?;
    Ok(())
}

/// Runs `logout`.
pub fn logout(args: &LogoutArgs) -> Result<(), Error> {
    let registry = registry_key(&args.server)?;
    keyring::remove(&registry)?;
    output::print_line(&format!("login for {registry} removed from the OS keyring"))?;
    Ok(())
}

/// Runs `logins`.
pub fn logins(args: &LoginsArgs) -> Result<(), Error> {
    output::print_logins(&keyring::logins()?, args.output)?;
    Ok(())
}

fn registry_key(server: &str) -> Result<RegistryKey, Error> {
    RegistryKey::parse(server).map_err(|reason| Error::InvalidServer {
        input: server.to_string(),
        reason,
    })
}

/// Prompts read the terminal and write to stderr; both must be a person's.
fn ask_username(registry: &RegistryKey) -> Result<String, Error> {
    dialoguer::Input::<String>::new()
        .with_prompt(format!("Username for {registry}"))
        .interact_text()
        .map_err(|e| prompt_error("username", e))
}

fn ask_password(registry: &RegistryKey, username: &str) -> Result<Zeroizing<String>, Error> {
    let typed = dialoguer::Password::new()
        .with_prompt(format!("Password or token for {username} at {registry}"))
        .interact()
        .map(Zeroizing::new)
        .map_err(|e| prompt_error("password", e))?;
    if typed.is_empty() {
        return Err(password::PasswordError::Empty {
            source_name: "the prompt".into(),
        }
        .into());
    }
    Ok(typed)
}

fn prompt_error(what: &'static str, err: dialoguer::Error) -> Error {
    let dialoguer::Error::IO(source) = err;
    Error::Prompt { what, source }
}
