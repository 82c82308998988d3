//! The fix for each cause, as the commands or config a person would run. Pure.

use serde::Serialize;

use super::{Cause, Classification};
use crate::expiry::{ECR_TOKEN_HOURS, ecr_region, is_ecr};

/// Where containerd reads per-registry configuration on a node (its `config_path`), as
/// kubeadm, k3s and most distributions set it.
pub const CONTAINERD_CERTS_D: &str = "/etc/containerd/certs.d";

/// A file to write on every node, exactly as given: containerd's `hosts.toml` for a registry.
/// containerd reads it at the next pull; nothing restarts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeFile {
    pub path: String,
    pub content: String,
}

/// The node-side file that fixes `cause` for `registry`, where the fix is one: plain HTTP for
/// a registry that does not speak TLS, or a CA for one whose certificate the node does not
/// trust (the CA goes next to the file as `ca.crt`; containerd reads paths relative to it).
pub fn node_file_for(cause: Cause, registry: Option<&str>) -> Option<NodeFile> {
    let registry = registry?;
    let content = match cause {
        Cause::HttpToHttps => format!(
            "server = \"http://{registry}\"\n\n[host.\"http://{registry}\"]\n  capabilities = [\"pull\", \"resolve\"]\n"
        ),
        Cause::TlsUntrusted => format!(
            "server = \"https://{registry}\"\n\n[host.\"https://{registry}\"]\n  ca = \"ca.crt\"\n"
        ),
        _ => return None,
    };
    Some(NodeFile {
        path: format!("{CONTAINERD_CERTS_D}/{registry}/hosts.toml"),
        content,
    })
}

/// Where the fix applies: the namespace, if known, and the pull secret's name to suggest.
#[derive(Debug, Clone, Copy)]
pub struct FixContext<'a> {
    pub namespace: Option<&'a str>,
    pub secret: &'a str,
}

/// The fix for a classified failure: a command to run where one exists, else what to change.
pub fn fix_for(found: &Classification, context: FixContext) -> String {
    let registry = found.registry.as_deref().unwrap_or("REGISTRY");
    let namespace = context.namespace.unwrap_or("NAMESPACE");
    let secret = context.secret;
    // Docker Hub is create's default server; anything else is named.
    let server = match registry {
        "docker.io" => String::new(),
        other => format!(" --server {other}"),
    };
    let create = format!(
        "kubectl regcred create {secret}{server} --username USER --password-stdin -n {namespace} --attach --heal"
    );
    match found.cause {
        Cause::AuthFailed | Cause::RepoDeniedOrMissing => format!(
            "give the pods credentials that may read the repository (and check the image name): \
             {create}"
        ),
        Cause::TokenExpired if is_ecr(registry) => {
            let region = ecr_region(registry).unwrap_or("REGION");
            format!(
                "mint a new token (ECR tokens last {ECR_TOKEN_HOURS} h): aws ecr get-login-password \
                 --region {region} | kubectl regcred create {secret} --server {registry} --username \
                 AWS --password-stdin -n {namespace} --attach"
            )
        }
        Cause::TokenExpired => format!("refresh the token in the pull secret: {create}"),
        Cause::RateLimited => format!(
            "pull with an account (authenticated pulls have higher limits) or from a mirror: {create}"
        ),
        Cause::NotFound => format!(
            "check that the tag or digest exists in {registry}; fix the image in the pod spec"
        ),
        Cause::HttpToHttps => format!(
            "the registry serves plain HTTP: serve TLS, or tell every node it is plain HTTP. \
             containerd: write the file below as {CONTAINERD_CERTS_D}/{registry}/hosts.toml \
             (MicroK8s: /var/snap/microk8s/current/args/certs.d/{registry}/hosts.toml); CRI-O: \
             [[registry]] location = \"{registry}\" insecure = true in \
             /etc/containers/registries.conf"
        ),
        Cause::TlsUntrusted => format!(
            "make the nodes trust the registry's CA. containerd: write the file below as \
             {CONTAINERD_CERTS_D}/{registry}/hosts.toml and the CA certificate next to it as \
             ca.crt; CRI-O: /etc/containers/certs.d/{registry}/ca.crt"
        ),
        Cause::TlsNameMismatch => format!(
            "use the host name the certificate of {registry} was issued for in the image \
             reference, or reissue the certificate with this name"
        ),
        Cause::TlsExpired => format!(
            "renew the TLS certificate of {registry}, or fix the node's clock"
        ),
        Cause::DnsFailure => format!(
            "the node cannot resolve {registry}: check the spelling in the image, and the node's DNS"
        ),
        Cause::NetworkTimeout | Cause::ConnectionRefused => format!(
            "the node cannot reach {registry}: check the port, firewall rules and HTTP(S)_PROXY / \
             NO_PROXY of the container runtime"
        ),
        Cause::InvalidReference => "fix the image reference: [REGISTRY/]REPOSITORY[:TAG|@DIGEST], \
             repository in lower case"
            .to_string(),
        Cause::ShortNameUnresolved => {
            let image = found.image.as_deref().unwrap_or("IMAGE");
            format!("use a fully qualified image name, e.g. docker.io/library/{image}")
        }
        Cause::NeverPullAbsent => "set imagePullPolicy: IfNotPresent, or load the image on the \
             node first (kind load docker-image, microk8s ctr image import, ctr -n k8s.io images import)"
            .to_string(),
        Cause::PlatformMismatch => "push an image for the nodes' platform, e.g. docker buildx \
             build --platform linux/amd64,linux/arm64 --push ..."
            .to_string(),
        Cause::RegistryUnavailable => format!(
            "{registry} answered with a server error: retry later, or check the registry's status"
        ),
        Cause::ImageInspectFailed => "the node's image store is damaged: remove the image \
             (crictl rmi IMAGE) so the kubelet pulls it again"
            .to_string(),
        Cause::Unknown => "no known cause: read the quoted text; `kubectl describe pod` shows \
             the full event"
            .to_string(),
    }
}

/// A fix's commands aimed at one kubeconfig context, for runs that span several: every
/// command of ours names its namespace with ` -n `, so `--context` goes right before it.
/// (kubectl refuses flags before a plugin's name, so it cannot go after `kubectl`.)
pub fn in_context(fix: &str, context: &str) -> String {
    fix.replace(" -n ", &format!(" --context {context} -n "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::classify;

    fn fix(text: &str) -> String {
        fix_for(
            &classify(Some("ErrImagePull"), &[text]),
            FixContext {
                namespace: Some("team-a"),
                secret: "regcred",
            },
        )
    }

    #[test]
    fn auth_failures_get_the_create_command_for_their_registry() {
        let text = r#"Failed to pull image "ghcr.io/acme/app:1.0": rpc error: code = Unknown desc = failed to pull and unpack image "ghcr.io/acme/app:1.0": failed to resolve reference "ghcr.io/acme/app:1.0": failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized"#;
        assert_eq!(
            fix(text),
            "give the pods credentials that may read the repository (and check the image name): \
             kubectl regcred create regcred --server ghcr.io --username USER --password-stdin -n team-a --attach --heal"
        );
    }

    #[test]
    fn docker_hub_needs_no_server_flag() {
        let text = r#"Failed to pull image "acme/private:1": rpc error: code = Unknown desc = Error response from daemon: pull access denied for acme/private, repository does not exist or may require 'docker login': denied: requested access to the resource is denied"#;
        assert!(
            fix(text).contains("kubectl regcred create regcred --username USER"),
            "{}",
            fix(text)
        );
    }

    #[test]
    fn plain_http_registries_get_the_runtime_config() {
        let text = r#"Failed to pull image "10.141.241.175:32000/mynginx:registry": rpc error: code = Unknown desc = failed to pull and unpack image "10.141.241.175:32000/mynginx:registry": failed to resolve reference "10.141.241.175:32000/mynginx:registry": failed to do request: Head "https://10.141.241.175:32000/v2/mynginx/manifests/registry": http: server gave HTTP response to HTTPS client"#;
        let fix = fix(text);
        assert!(
            fix.contains("certs.d/10.141.241.175:32000/hosts.toml"),
            "{fix}"
        );
        assert!(fix.contains("MicroK8s"), "{fix}");
    }

    #[test]
    fn node_files_are_containerd_hosts_toml() {
        let file = node_file_for(Cause::HttpToHttps, Some("10.0.0.5:32000")).unwrap();
        assert_eq!(
            file.path,
            "/etc/containerd/certs.d/10.0.0.5:32000/hosts.toml"
        );
        assert_eq!(
            file.content,
            "server = \"http://10.0.0.5:32000\"\n\n[host.\"http://10.0.0.5:32000\"]\n  \
             capabilities = [\"pull\", \"resolve\"]\n"
        );
        let file = node_file_for(Cause::TlsUntrusted, Some("registry.local")).unwrap();
        assert!(file.content.contains("ca = \"ca.crt\""), "{}", file.content);
        assert_eq!(node_file_for(Cause::AuthFailed, Some("ghcr.io")), None);
        assert_eq!(node_file_for(Cause::HttpToHttps, None), None);
    }

    #[test]
    fn every_cause_has_a_fix() {
        for cause in Cause::ALL {
            let found = Classification {
                cause,
                summary: cause.summary(),
                registry: None,
                image: None,
                evidence: String::new(),
            };
            let fix = fix_for(
                &found,
                FixContext {
                    namespace: None,
                    secret: "regcred",
                },
            );
            assert!(!fix.is_empty(), "{cause:?}");
        }
    }

    #[test]
    fn fixes_in_a_several_context_run_name_the_context() {
        let fix = "kubectl regcred attach gh -n team-a; or kubectl delete pod p -n team-a";
        assert_eq!(
            in_context(fix, "prod"),
            "kubectl regcred attach gh --context prod -n team-a; or kubectl delete pod p --context prod -n team-a"
        );
    }
}
