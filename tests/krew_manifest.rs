//! The krew manifests against krew's own rules, and the scripts that make them.
//!
//! The rules mirror krew's `pkg/index/validation/validate.go` (apiVersion, kind, a safe name,
//! a one-line short description, a semantic version with a leading `v`, and per platform a uri,
//! a lowercase-hex sha256, a `bin`, `files` with `from` and `to`, a selector over `os`/`arch`
//! only) and `cmd/validate-krew-manifest` (no two platforms select the same os/arch), plus the
//! krew-index review rules (short description of a few words without "kubectl", kebab-case name,
//! lines of at most 80 characters).
//!
//! They apply to the committed `krew-manifest.yaml`, to the template `.krew.yaml` rendered for
//! all five platforms, and to the manifest `scripts/release.sh` renders for the archive of the
//! real release binary built here. The committed manifest must be exactly that last one: a
//! sha256 that no archive built from these sources has fails (docs/RELEASING.md).

#[path = "common/release.rs"]
mod release;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use release::{assert_success, release_binary, repo_root};
use serde::Deserialize;
use tempfile::TempDir;

const PLUGIN_NAME: &str = "regcred";
const HOMEPAGE: &str = "https://github.com/kubectl-regcred/kubectl-regcred";
/// The platforms we ship, as krew's (Go's) `os`/`arch` names.
const PLATFORMS: [(&str, &str); 5] = [
    ("linux", "amd64"),
    ("linux", "arm64"),
    ("darwin", "amd64"),
    ("darwin", "arm64"),
    ("windows", "amd64"),
];
/// The platform the committed manifest is rendered on (docs/RELEASING.md).
const COMMITTED_PLATFORM: (&str, &str) = ("linux", "amd64");
const REGENERATE: &str = "regenerate it with `scripts/release.sh` (on linux/amd64) and commit it";

/// The manifest, with exactly the fields krew reads (a misspelt key fails to parse).
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Manifest {
    api_version: String,
    kind: String,
    metadata: Metadata,
    spec: Spec,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct Metadata {
    name: String,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Spec {
    version: String,
    homepage: String,
    short_description: String,
    description: String,
    caveats: String,
    platforms: Vec<Platform>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct Platform {
    selector: Selector,
    uri: String,
    sha256: String,
    bin: String,
    files: Vec<FileOperation>,
}

impl Platform {
    fn os_arch(&self) -> (&str, &str) {
        let label = |key: &str| {
            self.selector
                .match_labels
                .get(key)
                .map_or("", String::as_str)
        };
        (label("os"), label("arch"))
    }
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Selector {
    match_labels: BTreeMap<String, String>,
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
struct FileOperation {
    from: String,
    to: String,
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn parse_manifest(text: &str, what: &str) -> Manifest {
    serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("{what} is not a krew manifest: {e}"))
}

fn committed_manifest_text() -> String {
    read(&repo_root().join("krew-manifest.yaml"))
}

fn expected_version() -> String {
    format!("v{}", env!("CARGO_PKG_VERSION"))
}

fn archive_name(os: &str, arch: &str) -> String {
    format!("kubectl-regcred-{}-{os}-{arch}.tar.gz", expected_version())
}

/// krew's os/arch for the machine these tests run on, as `scripts/release.sh` derives it.
fn host_os_arch() -> (&'static str, &'static str) {
    let os = match std::env::consts::OS {
        "macos" => "darwin",
        other => other,
    };
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        other => other,
    };
    (os, arch)
}

/// A semantic version as krew parses it: a leading `v`, then MAJOR.MINOR.PATCH without leading
/// zeros, then an optional `-pre.release` and `+build`.
fn is_krew_semver(version: &str) -> bool {
    let Some(rest) = version.strip_prefix('v') else {
        return false;
    };
    let (core, suffix) = match rest.find(['-', '+']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let numbers: Vec<&str> = core.split('.').collect();
    let is_number = |n: &&str| {
        !n.is_empty()
            && n.bytes().all(|b| b.is_ascii_digit())
            && (n.len() == 1 || !n.starts_with('0'))
    };
    let suffix_ok = suffix
        .chars()
        .skip(1)
        .all(|c| c.is_ascii_alphanumeric() || ".-+".contains(c))
        && suffix != "-"
        && suffix != "+";
    numbers.len() == 3 && numbers.iter().all(is_number) && suffix_ok
}

fn is_lowercase_sha256(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn has_zero_sha256(text: &str) -> bool {
    text.contains(&"0".repeat(64))
}

/// Lowercase words joined by single hyphens: krew allows `^[\w-]+$`, its naming guide kebab-case.
fn is_kebab_case(name: &str) -> bool {
    !name.is_empty()
        && name.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

fn long_lines(text: &str, max: usize) -> Vec<&str> {
    text.lines().filter(|l| l.chars().count() > max).collect()
}

/// Every rule of krew, krew-index and ours for a manifest of this crate's version; `what` names
/// the manifest in failures. Its platforms may be any of the five, each at most once.
fn assert_follows_krew_rules(m: &Manifest, what: &str) {
    assert_eq!(
        m.api_version, "krew.googlecontainertools.github.com/v1alpha2",
        "{what}"
    );
    assert_eq!(m.kind, "Plugin", "{what}");
    assert_eq!(m.metadata.name, PLUGIN_NAME, "{what}");
    assert!(
        is_kebab_case(&m.metadata.name),
        "{what}: name {:?}",
        m.metadata.name
    );
    // Windows reserves these file names; krew refuses them as plugin names.
    let reserved = ["con", "prn", "aux", "nul", "com1", "lpt1"];
    assert!(
        !reserved.contains(&m.metadata.name.to_lowercase().as_str()),
        "{what}"
    );
    assert_eq!(m.spec.homepage, HOMEPAGE, "{what}");

    assert!(
        is_krew_semver(&m.spec.version),
        "{what}: version {:?}",
        m.spec.version
    );
    assert_eq!(
        m.spec.version,
        expected_version(),
        "{what}: spec.version is not Cargo.toml's; {REGENERATE}"
    );

    let short = &m.spec.short_description;
    assert!(
        !short.trim().is_empty(),
        "{what}: shortDescription is empty"
    );
    assert!(
        !short.contains(['\r', '\n']),
        "{what}: shortDescription has a line break"
    );
    assert!(
        short.chars().count() < 50,
        "{what}: shortDescription is {} chars",
        short.chars().count()
    );
    // `kubectl krew search` shows it next to the plugin name: "kubectl" would only stutter.
    assert!(
        !short.to_lowercase().contains("kubectl"),
        "{what}: {short:?}"
    );

    assert!(
        !m.spec.description.trim().is_empty(),
        "{what}: description is empty"
    );
    // validate-krew-manifest warns past 80 columns; krew prints these on a terminal.
    for (field, text) in [
        ("description", &m.spec.description),
        ("caveats", &m.spec.caveats),
    ] {
        assert!(
            long_lines(text, 80).is_empty(),
            "{what}: {field} has lines over 80 columns"
        );
    }
    for needed in [
        "secrets:",
        "serviceaccounts:",
        "namespaces:",
        "pods, events:",
        "get",
        "list",
        "create",
        "patch",
    ] {
        assert!(
            m.spec.caveats.contains(needed),
            "{what}: caveats do not mention {needed:?}"
        );
    }

    assert!(!m.spec.platforms.is_empty(), "{what}: no platforms");
    let known: BTreeSet<(&str, &str)> = PLATFORMS.into_iter().collect();
    let version = expected_version();
    let mut seen = BTreeSet::new();
    for p in &m.spec.platforms {
        let keys: BTreeSet<&str> = p.selector.match_labels.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            BTreeSet::from(["arch", "os"]),
            "{what}: selector {:?}",
            p.selector
        );
        let (os, arch) = p.os_arch();
        assert!(
            known.contains(&(os, arch)),
            "{what}: {os}/{arch} is not a platform we ship"
        );
        assert!(
            seen.insert((os, arch)),
            "{what}: {os}/{arch} is selected by two platforms"
        );

        let exe = if os == "windows" { ".exe" } else { "" };
        let uri = format!(
            "{HOMEPAGE}/releases/download/{version}/{}",
            archive_name(os, arch)
        );
        assert_eq!(p.uri, uri, "{what}: {os}/{arch} uri");
        assert!(
            is_lowercase_sha256(&p.sha256),
            "{what}: {os}/{arch} sha256 {:?} is not 64 lowercase hex digits",
            p.sha256
        );
        assert!(
            !has_zero_sha256(&p.sha256),
            "{what}: {os}/{arch} has a placeholder sha256 of zeros"
        );
        assert_eq!(
            p.bin,
            format!("kubectl-regcred{exe}"),
            "{what}: {os}/{arch} bin"
        );
        let to_root = |from: &str| FileOperation {
            from: from.to_string(),
            to: ".".to_string(),
        };
        // `bin` must be among the installed files, or krew has nothing to link.
        assert_eq!(
            p.files,
            [to_root(&p.bin), to_root("LICENSE")],
            "{what}: {os}/{arch} files"
        );
    }
}

fn platform_set(m: &Manifest) -> BTreeSet<(&str, &str)> {
    m.spec.platforms.iter().map(Platform::os_arch).collect()
}

fn platform<'m>(m: &'m Manifest, os_arch: (&str, &str)) -> &'m Platform {
    m.spec
        .platforms
        .iter()
        .find(|p| p.os_arch() == os_arch)
        .unwrap_or_else(|| panic!("no platform {}/{}", os_arch.0, os_arch.1))
}

fn sha256_of(path: &Path) -> String {
    let output = Command::new("sha256sum")
        .arg(path)
        .output()
        .or_else(|_| {
            Command::new("shasum")
                .args(["-a", "256"])
                .arg(path)
                .output()
        })
        .expect("run sha256sum or shasum");
    assert_success("sha256sum", &output);
    let text = String::from_utf8_lossy(&output.stdout);
    text.split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Runs `scripts/render-krew-manifest.py` on `template` with the archives in `dist`.
fn render(template: &Path, dist: &Path, only_built: bool) -> Output {
    let mut command = Command::new("python3");
    command
        .arg(repo_root().join("scripts/render-krew-manifest.py"))
        .args(["--tag", &expected_version()]);
    if only_built {
        command.arg("--only-built");
    }
    command
        .arg(template)
        .arg(dist)
        .output()
        .expect("run python3 scripts/render-krew-manifest.py")
}

/// A dist directory holding a stand-in archive (distinct bytes) for each of `platforms`.
fn dist_with(platforms: &[(&str, &str)]) -> TempDir {
    let dist = TempDir::new().expect("temp dir");
    for (os, arch) in platforms {
        std::fs::write(
            dist.path().join(archive_name(os, arch)),
            format!("stand-in archive for {os}/{arch}\n"),
        )
        .expect("write a stand-in archive");
    }
    dist
}

/// What `scripts/release.sh` writes for `binary` into `dir`: the manifest text and the archive.
fn release_into(dir: &Path, binary: &Path) -> (String, PathBuf) {
    let manifest = dir.join("krew-manifest.yaml");
    let out = dir.join("dist");
    let output = Command::new(repo_root().join("scripts/release.sh"))
        .arg("--binary")
        .arg(binary)
        .arg("--manifest")
        .arg(&manifest)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run scripts/release.sh");
    assert_success("scripts/release.sh", &output);
    let (os, arch) = host_os_arch();
    let archive = out.join(archive_name(os, arch));
    assert!(archive.is_file(), "no archive at {}", archive.display());
    (read(&manifest), archive)
}

/// `tar -tvzf --numeric-owner` lines of an archive.
fn listing(archive: &Path) -> Vec<String> {
    let output = Command::new("tar")
        .arg("-tvzf")
        .arg(archive)
        .arg("--numeric-owner")
        .output()
        .expect("run tar");
    assert_success("tar -tvzf", &output);
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

fn assert_holds_exactly_license_and_bin(archive: &Path, bin: &str) {
    let lines = listing(archive);
    assert_eq!(
        lines.len(),
        2,
        "archive holds more than {bin} and LICENSE: {lines:#?}"
    );
    for (line, (mode, name)) in lines
        .iter()
        .zip([("-rw-r--r--", "LICENSE"), ("-rwxr-xr-x", bin)])
    {
        let fields: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(fields.first(), Some(&mode), "mode of {name}: {line}");
        assert_eq!(fields.get(1), Some(&"0/0"), "owner of {name}: {line}");
        assert_eq!(fields.last(), Some(&name), "{line}");
    }
}

/// The release binary packed and rendered by `scripts/release.sh` here, once per test run.
struct HostRelease {
    manifest_text: String,
    archive: PathBuf,
}

fn host_release() -> &'static HostRelease {
    static RELEASE: OnceLock<HostRelease> = OnceLock::new();
    RELEASE.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("krew-manifest-host-release");
        if dir.exists() {
            std::fs::remove_dir_all(&dir).expect("remove the last run's release dir");
        }
        std::fs::create_dir_all(&dir).expect("create the release dir");
        let (manifest_text, archive) = release_into(&dir, release_binary());
        HostRelease {
            manifest_text,
            archive,
        }
    })
}

#[test]
fn committed_manifest_follows_krews_rules() {
    let m = parse_manifest(&committed_manifest_text(), "krew-manifest.yaml");
    assert_follows_krew_rules(&m, "krew-manifest.yaml");
    assert_eq!(
        platform_set(&m),
        BTreeSet::from([COMMITTED_PLATFORM]),
        "krew-manifest.yaml describes the archive built on linux/amd64 only (docs/RELEASING.md)"
    );
}

#[test]
fn krew_semver_rule_matches_krews_parser() {
    for good in ["v0.1.0", "v1.22.333", "v1.0.0-rc.1", "v1.0.0+build.5"] {
        assert!(is_krew_semver(good), "{good}");
    }
    for bad in [
        "0.1.0", "v0.1", "v01.0.0", "v1.0.0-", "va.b.c", "v1.0.0.0", "",
    ] {
        assert!(!is_krew_semver(bad), "{bad}");
    }
}

#[test]
fn no_sha256_of_zeros_anywhere() {
    let root = repo_root();
    let mut files = vec![
        root.join("krew-manifest.yaml"),
        root.join(".krew.yaml"),
        root.join("docs/RELEASING.md"),
    ];
    for entry in std::fs::read_dir(root.join(".github/workflows")).expect("read .github/workflows")
    {
        files.push(entry.expect("workflow entry").path());
    }
    for file in files {
        assert!(
            !has_zero_sha256(&read(&file)),
            "{} holds a sha256 of zeros: a placeholder no archive has",
            file.display()
        );
    }
    assert!(has_zero_sha256(&format!("sha256: {}", "0".repeat(64))));
}

#[test]
fn template_renders_all_five_platforms_with_each_archives_sha256() {
    let template = repo_root().join(".krew.yaml");
    assert!(
        !read(&template).contains("sha256:"),
        ".krew.yaml writes a sha256 itself: leave it to addURIAndSha"
    );
    let dist = dist_with(&PLATFORMS);
    let output = render(&template, dist.path(), false);
    assert_success("render-krew-manifest.py .krew.yaml", &output);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        !text.contains("{{"),
        "an action is left unrendered:\n{text}"
    );
    let m = parse_manifest(&text, "the rendered .krew.yaml");
    assert_follows_krew_rules(&m, "the rendered .krew.yaml");
    assert_eq!(
        platform_set(&m),
        PLATFORMS.into_iter().collect::<BTreeSet<_>>(),
        ".krew.yaml's platforms"
    );
    for (os, arch) in PLATFORMS {
        assert_eq!(
            platform(&m, (os, arch)).sha256,
            sha256_of(&dist.path().join(archive_name(os, arch))),
            "{os}/{arch} sha256"
        );
    }
}

#[test]
fn a_missing_archive_fails_the_render_unless_only_built_leaves_it_out() {
    let template = repo_root().join(".krew.yaml");
    let dist = dist_with(&PLATFORMS[..4]);
    let missing = archive_name("windows", "amd64");

    let output = render(&template, dist.path(), false);
    assert!(
        !output.status.success(),
        "rendered without the windows archive"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&missing),
        "the error does not name {missing}: {stderr}"
    );
    assert!(output.stdout.is_empty(), "printed a manifest anyway");

    let output = render(&template, dist.path(), true);
    assert_success("render-krew-manifest.py --only-built", &output);
    let m = parse_manifest(
        &String::from_utf8_lossy(&output.stdout),
        "the --only-built render",
    );
    assert_follows_krew_rules(&m, "the --only-built render");
    assert_eq!(platform_set(&m), PLATFORMS[..4].iter().copied().collect());

    // With no archive at all there is no manifest to write, --only-built or not.
    let empty = TempDir::new().expect("temp dir");
    assert!(!render(&template, empty.path(), true).status.success());
}

#[test]
fn the_renderer_refuses_template_actions_it_does_not_know() {
    let dir = TempDir::new().expect("temp dir");
    let template = dir.path().join(".krew.yaml");
    let text = read(&repo_root().join(".krew.yaml"));
    let changed = text.replace("  homepage:", "  # built at {{ .Date }}\n  homepage:");
    assert_ne!(changed, text);
    std::fs::write(&template, changed).expect("write the template copy");
    let dist = dist_with(&PLATFORMS);
    let output = render(&template, dist.path(), false);
    assert!(!output.status.success(), "rendered an unknown action");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("{{ .Date }}"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn release_script_packs_the_same_archive_every_time_and_renders_its_sha256() {
    // The debug binary `cargo test` built: the packing and rendering are the same for any binary.
    let binary = Path::new(env!("CARGO_BIN_EXE_kubectl-regcred"));
    let first_dir = TempDir::new().expect("temp dir");
    let (first_text, first_archive) = release_into(first_dir.path(), binary);
    let second_dir = TempDir::new().expect("temp dir");
    let (second_text, second_archive) = release_into(second_dir.path(), binary);

    let sha = sha256_of(&first_archive);
    assert_eq!(
        sha256_of(&second_archive),
        sha,
        "a second run gives another archive"
    );
    assert_eq!(
        second_text, first_text,
        "the manifests of the two runs differ"
    );

    let m = parse_manifest(&first_text, "the manifest release.sh rendered");
    assert_follows_krew_rules(&m, "the manifest release.sh rendered");
    assert_eq!(platform_set(&m), BTreeSet::from([host_os_arch()]));
    let host = platform(&m, host_os_arch());
    assert_eq!(host.sha256, sha, "sha256 written for this host");
    assert_holds_exactly_license_and_bin(&first_archive, &host.bin);
}

#[test]
fn manifest_rendered_for_the_host_release_archive_follows_krews_rules() {
    let release = host_release();
    let m = parse_manifest(&release.manifest_text, "the host release manifest");
    assert_follows_krew_rules(&m, "the host release manifest");
    let host = platform(&m, host_os_arch());
    assert_eq!(host.sha256, sha256_of(&release.archive));
    assert_holds_exactly_license_and_bin(&release.archive, &host.bin);

    // The archive holds the release binary itself, byte for byte.
    let unpacked = TempDir::new().expect("temp dir");
    let output = Command::new("tar")
        .arg("-xzf")
        .arg(&release.archive)
        .arg("-C")
        .arg(unpacked.path())
        .output()
        .expect("run tar");
    assert_success("tar -xzf", &output);
    let packed = std::fs::read(unpacked.path().join(&host.bin)).expect("read the packed binary");
    let built = std::fs::read(release_binary()).expect("read the release binary");
    assert!(
        packed == built,
        "the archive does not hold {}",
        release_binary().display()
    );
}

#[test]
fn committed_manifest_is_the_one_rendered_for_the_release_binary_of_these_sources() {
    let host = host_os_arch();
    assert_eq!(
        host, COMMITTED_PLATFORM,
        "krew-manifest.yaml is rendered on linux/amd64 (docs/RELEASING.md); this host is {}/{} \
         and cannot build that archive",
        host.0, host.1
    );
    let committed = committed_manifest_text();
    let rendered = &host_release().manifest_text;
    if committed != *rendered {
        let sha = |text: &str| {
            text.lines()
                .find(|l| l.trim_start().starts_with("sha256:"))
                .unwrap_or("(no sha256)")
                .trim()
                .to_string()
        };
        let differing: Vec<String> = committed
            .lines()
            .zip(rendered.lines())
            .filter(|(a, b)| a != b)
            .map(|(a, b)| format!("- {a}\n+ {b}"))
            .collect();
        panic!(
            "krew-manifest.yaml is stale: it is not what scripts/release.sh renders for the \
             release binary built from these sources.\n  committed: {}\n  built:     {}\n\
             {}\nTo fix it, {REGENERATE}.",
            sha(&committed),
            sha(rendered),
            differing.join("\n")
        );
    }
}
