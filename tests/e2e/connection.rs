//! How the plugin reaches the API server: a kubeconfig proxy it cannot use is named.

use crate::clusters::{run_plugin, spare, spare_env};
use crate::support::texts;

#[test]
fn a_kubeconfig_proxy_is_named_and_its_password_is_not() {
    let env = spare_env();
    let server = format!("https://{}", spare().api_addr());
    let kubeconfig = spare().kubeconfig_named("proxied", &server).replace(
        &format!("server: {server}\n"),
        &format!("server: {server}\n    proxy-url: http://user:proxy-secret@10.9.8.7:3128\n"),
    );
    let kubeconfig = env.write_file("proxied.kubeconfig", &kubeconfig);
    let output = run_plugin(&kubeconfig, &["status", "-n", "default"]);
    let (stdout, stderr) = texts(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("proxy 10.9.8.7:3128 (proxy-url)"),
        "{stderr}"
    );
    assert!(stderr.contains("context proxied"), "{stderr}");
    assert!(!stderr.contains("proxy-secret"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
