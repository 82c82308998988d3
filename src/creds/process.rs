//! Running the programs credentials come from (cloud CLIs, `docker-credential-*` helpers), and
//! reading what they print, into memory that is wiped when dropped.
//!
//! One runner: a timeout after which the program is killed, stdout and stderr read on threads
//! of their own into buffers allocated once and bounded, nothing secret on the command line
//! (it is shown in errors), and our own secret variables removed from the environment when the
//! caller asks.

use std::fmt;
use std::io::{Read, Write};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use zeroize::Zeroizing;

/// Our own environment variables that may hold a secret.
pub const SECRET_VARIABLES: &[&str] = &["REGCRED_PASSWORD"];

/// A program and its arguments. Shown in logs and errors, so never anything secret in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program {
    pub name: String,
    pub args: Vec<String>,
}

impl fmt::Display for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)?;
        for arg in &self.args {
            write!(f, " {arg}")?;
        }
        Ok(())
    }
}

/// How a program is run.
#[derive(Debug, Clone, Copy)]
pub struct Run<'a> {
    /// What it reads on stdin; None: stdin is `/dev/null`. Written before waiting, so it must
    /// fit a pipe's buffer (64 KiB on Linux): a server URL does.
    pub stdin: Option<&'a [u8]>,
    /// How long it may take; then it is killed.
    pub timeout: Duration,
    /// At most this much of stdout is kept; more is reported as [`Bounded::overflowed`].
    pub max_stdout: usize,
    /// At most this much of stderr is kept.
    pub max_stderr: usize,
    /// Variables removed from the environment it inherits (see [`SECRET_VARIABLES`]).
    pub env_removed: &'a [&'a str],
}

/// What a finished program printed; stdout may hold a secret.
pub struct Output {
    pub status: ExitStatus,
    pub stdout: Bounded,
    pub stderr: Bounded,
}

impl Output {
    /// `exit code N`, or how the program was stopped (`signal: 9 (SIGKILL)`).
    pub fn status_text(&self) -> String {
        match self.status.code() {
            Some(code) => format!("exit code {code}"),
            None => self.status.to_string(),
        }
    }
}

/// Why a program gave no output.
#[derive(Debug)]
pub enum RunError {
    /// It is not on PATH.
    NotFound,
    /// It could not be started, waited for or read.
    Io(std::io::Error),
    /// It did not finish (or close its output) within the timeout; it was killed.
    Timeout,
}

impl Program {
    /// Runs the program as `how` says and collects what it printed.
    pub fn run(&self, how: &Run<'_>) -> Result<Output, RunError> {
        let mut command = Command::new(&self.name);
        command
            .args(&self.args)
            .stdin(match how.stdin {
                Some(_) => Stdio::piped(),
                None => Stdio::null(),
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for name in how.env_removed {
            command.env_remove(name);
        }
        let mut child = command.spawn().map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => RunError::NotFound,
            _ => RunError::Io(e),
        })?;
        // Readers on their own threads, so a full pipe never stalls the program, and a
        // grandchild that keeps a pipe open never stalls us past the deadline.
        let stdout = read_in_background(child.stdout.take(), how.max_stdout);
        let stderr = read_in_background(child.stderr.take(), how.max_stderr);
        if let (Some(input), Some(mut pipe)) = (how.stdin, child.stdin.take()) {
            // A program that exits without reading its input is judged by its exit status.
            let _ = pipe.write_all(input);
        }
        let deadline = Instant::now() + how.timeout;
        let status = wait_until(&mut child, deadline)?;
        let grace = deadline
            .saturating_duration_since(Instant::now())
            .max(Duration::from_secs(1));
        let collect = |rx: mpsc::Receiver<std::io::Result<Bounded>>| match rx.recv_timeout(grace) {
            Ok(read) => read.map_err(RunError::Io),
            Err(_) => Err(RunError::Timeout),
        };
        Ok(Output {
            status,
            stderr: collect(stderr)?,
            stdout: collect(stdout)?,
        })
    }
}

/// Waits for the child until `deadline`; kills it then, or when waiting fails.
fn wait_until(child: &mut Child, deadline: Instant) -> Result<ExitStatus, RunError> {
    let failed = |child: &mut Child, err| {
        let _ = child.kill();
        let _ = child.wait();
        Err(err)
    };
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(status),
            Ok(None) if Instant::now() >= deadline => return failed(child, RunError::Timeout),
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return failed(child, RunError::Io(e)),
        }
    }
}

/// What was read: up to a limit, and whether there was more.
pub struct Bounded {
    pub bytes: Zeroizing<Vec<u8>>,
    pub overflowed: bool,
}

fn read_in_background(
    pipe: Option<impl Read + Send + 'static>,
    limit: usize,
) -> mpsc::Receiver<std::io::Result<Bounded>> {
    let (tx, rx) = mpsc::channel();
    match pipe {
        Some(mut pipe) => {
            std::thread::spawn(move || {
                let _ = tx.send(read_bounded(&mut pipe, limit));
            });
        }
        None => {
            let _ = tx.send(Ok(Bounded {
                bytes: Zeroizing::new(Vec::new()),
                overflowed: false,
            }));
        }
    }
    rx
}

/// Reads to EOF into a buffer allocated once (a growing `Vec` would leave copies of a secret
/// behind in freed memory), keeping at most `limit` bytes. Reads programs' output and
/// passwords from standard input.
pub fn read_bounded(pipe: &mut impl Read, limit: usize) -> std::io::Result<Bounded> {
    let mut bytes = Zeroizing::new(vec![0u8; limit]);
    let mut spill = Zeroizing::new([0u8; 4096]);
    let mut len = 0;
    let mut overflowed = false;
    loop {
        let read = if len < limit {
            pipe.read(&mut bytes[len..])
        } else {
            pipe.read(&mut spill[..])
        };
        match read {
            Ok(0) => break,
            Ok(n) if len < limit => len += n,
            Ok(_) => overflowed = true,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    bytes.truncate(len);
    Ok(Bounded { bytes, overflowed })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn program(name: &str, args: &[&str]) -> Program {
        Program {
            name: name.into(),
            args: args.iter().map(|a| a.to_string()).collect(),
        }
    }

    fn how(stdin: Option<&[u8]>, timeout: Duration) -> Run<'_> {
        Run {
            stdin,
            timeout,
            max_stdout: 1 << 16,
            max_stderr: 1 << 12,
            env_removed: &[],
        }
    }

    const LONG: Duration = Duration::from_secs(30);

    #[test]
    fn programs_are_shown_with_their_arguments() {
        let shown = program("aws", &["ecr", "get-login-password"]).to_string();
        assert_eq!(shown, "aws ecr get-login-password");
    }

    #[test]
    fn stdin_is_written_and_output_read_into_one_buffer() {
        let output = program("cat", &[])
            .run(&how(Some(b"secret answer\n"), LONG))
            .unwrap();
        assert!(output.status.success());
        assert_eq!(&output.stdout.bytes[..], b"secret answer\n");
        assert!(
            output.stdout.bytes.capacity() >= 1 << 16,
            "allocated once, never grown"
        );
        // No stdin: /dev/null, so a reader of stdin ends at once.
        let output = program("cat", &[]).run(&how(None, LONG)).unwrap();
        assert!(output.status.success() && output.stdout.bytes.is_empty());
    }

    #[test]
    fn the_exit_status_and_both_outputs_are_returned() {
        let output = program("sh", &["-c", "echo out; echo err >&2; exit 3"])
            .run(&how(None, LONG))
            .unwrap();
        assert_eq!(output.status.code(), Some(3));
        assert_eq!(output.status_text(), "exit code 3");
        assert_eq!(&output.stdout.bytes[..], b"out\n");
        assert_eq!(&output.stderr.bytes[..], b"err\n");
        let killed = program("sh", &["-c", "kill -9 $$"])
            .run(&how(None, LONG))
            .unwrap();
        assert_eq!(killed.status_text(), "signal: 9 (SIGKILL)");
    }

    #[test]
    fn output_beyond_the_limit_is_dropped_and_reported() {
        let mut limited = how(None, LONG);
        limited.max_stdout = 64;
        let output = program("sh", &["-c", "head -c 100000 /dev/zero"])
            .run(&limited)
            .unwrap();
        assert!(output.status.success());
        assert_eq!(output.stdout.bytes.len(), 64);
        assert!(output.stdout.overflowed);
        assert!(!output.stderr.overflowed);
    }

    #[test]
    fn a_slow_program_is_killed_at_the_timeout() {
        let started = Instant::now();
        let result = program("sleep", &["30"]).run(&how(Some(b""), Duration::from_millis(200)));
        assert!(matches!(result, Err(RunError::Timeout)));
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn a_missing_program_is_not_found() {
        let result = program("regcred-no-such-program", &["get"]).run(&how(None, LONG));
        assert!(matches!(result, Err(RunError::NotFound)));
    }

    #[test]
    fn removed_variables_are_not_inherited() {
        let Some(home) = std::env::var_os("HOME") else {
            return;
        };
        let script = ["-c", "printf %s \"${HOME-unset}\""];
        let inherited = program("sh", &script).run(&how(None, LONG)).unwrap();
        assert_eq!(inherited.stdout.bytes.as_slice(), home.as_encoded_bytes());
        let mut without = how(None, LONG);
        without.env_removed = &["HOME"];
        let removed = program("sh", &script).run(&without).unwrap();
        assert_eq!(&removed.stdout.bytes[..], b"unset");
    }

    #[test]
    fn reads_are_bounded_without_growing() {
        let mut input: &[u8] = &[b'a'; 100];
        let read = read_bounded(&mut input, 64).unwrap();
        assert_eq!(read.bytes.len(), 64);
        assert!(read.overflowed);
        let mut input: &[u8] = b"token\n";
        let read = read_bounded(&mut input, 64).unwrap();
        assert_eq!(&read.bytes[..], b"token\n");
        assert!(!read.overflowed);
    }
}
