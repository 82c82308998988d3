//! The examples each subcommand's `--help` ends with (and the man pages show).

pub(super) const CREATE_EXAMPLES: &str = "\
Examples:
  # GHCR: a personal access token with read:packages, from stdin, into namespace team-a
  echo \"$GHCR_PAT\" | kubectl regcred create ghcr --server ghcr.io --username octocat --password-stdin -n team-a

  # Docker Hub (the default server), in every namespace, attached to each default service account
  kubectl regcred create dockerhub --username alice --password-file ~/.hub-token -A --attach

  # Amazon ECR (tokens last 12 h: re-run to refresh)
  aws ecr get-login-password --region eu-west-1 | kubectl regcred create ecr --server 123456789012.dkr.ecr.eu-west-1.amazonaws.com --username AWS --password-stdin -n team-a --attach

  # Azure ACR with a service principal
  kubectl regcred create acr --server myregistry.azurecr.io --username \"$SP_APP_ID\" --password-file sp-secret.txt -n team-a

  # Google Artifact Registry / GCR with a service-account key
  kubectl regcred create gar --server europe-docker.pkg.dev --username _json_key --password-file key.json -n team-a

  # GitLab deploy token, Quay robot, Harbor robot
  kubectl regcred create gitlab --server registry.gitlab.com --username gitlab+deploy-token-42 --password-file token.txt
  kubectl regcred create quay --server quay.io --username 'acme+puller' --password-file robot.txt
  kubectl regcred create harbor --server harbor.example.com --username 'robot$team-a+puller' --password-file robot.txt

  # A local registry (MicroK8s, kind) on port 32000
  kubectl regcred create local --server 10.141.241.175:32000 --username dev --password-file pw.txt -n team-a

  # Two registries in one secret (one password file each, in order)
  kubectl regcred create regcred -s ghcr.io -u octocat --password-file gh.txt -s quay.io -u robot --password-file quay.txt

  # Copy the registries of an existing secret into namespaces labelled team=payments
  kubectl regcred create regcred --from-secret default/regcred --namespace-selector team=payments --attach

  # Run:ai: a cluster-wide secret in the runai namespace (label runai/cluster-wide=true)
  kubectl regcred create regcred -u alice --password-file hub.txt -n runai --cluster-wide

  # Show the manifest without touching the cluster
  kubectl regcred create regcred --server ghcr.io -u octocat --password-stdin --dry-run=client -o yaml

  # Unblock pods stuck in ImagePullBackOff: attach, then restart their Deployments, StatefulSets, DaemonSets
  kubectl regcred create regcred --server ghcr.io -u octocat --password-stdin -n team-a --attach --heal";

pub(super) const SYNC_EXAMPLES: &str = "\
Examples:
  # Copy the pull secret of namespace platform into every namespace labelled team=payments
  kubectl regcred sync --from-secret platform/regcred --namespace-selector team=payments --attach

  # Keep every namespace supplied, including the ones created later, until Ctrl-C
  kubectl regcred sync --from-secret platform/regcred -A --attach --watch

  # Under another name, into two namespaces, attached to two service accounts
  kubectl regcred sync --from-secret platform/regcred --name pull -n team-a,team-b --attach --service-account default,builder";

pub(super) const ATTACH_EXAMPLES: &str = "\
Examples:
  # Let pods of the default service account in team-a pull with regcred
  kubectl regcred attach regcred -n team-a

  # Every service account of every namespace labelled team=payments
  kubectl regcred attach regcred --namespace-selector team=payments --all-service-accounts

  # And restart the workloads whose pods are stuck pulling an image regcred serves
  kubectl regcred attach regcred -n team-a --heal";

pub(super) const HEAL_EXAMPLES: &str = "\
Examples:
  # Restart what is stuck on an image pull in team-a, now that its service account has the secret
  kubectl regcred heal -n team-a

  # What would be restarted in every namespace, without changing anything
  kubectl regcred heal -A --dry-run=client

  # Also delete stuck pods of Jobs (their Job makes new ones); JSON for scripts
  kubectl regcred heal -n team-a --delete-pods -o json

  # In one step: create the secret, attach it, restart what it unblocks
  kubectl regcred create regcred --server ghcr.io -u octocat --password-stdin -n team-a --attach --heal";

pub(super) const DETACH_EXAMPLES: &str = "\
Examples:
  # Undo `kubectl regcred attach regcred -n team-a`; other imagePullSecrets stay
  kubectl regcred detach regcred -n team-a

  # From every service account in every namespace
  kubectl regcred detach regcred -A --all-service-accounts";

pub(super) const LABEL_EXAMPLES: &str = "\
Examples:
  # Mark the secret for Run:ai's cluster-wide secret propagation
  kubectl regcred label regcred -n runai --cluster-wide

  # Set one label and remove another, in every namespace that has the secret
  kubectl regcred label regcred -A team=payments old-label-";

pub(super) const DELETE_EXAMPLES: &str = "\
Examples:
  # Remove regcred from every namespace, and from every service account that lists it
  kubectl regcred delete regcred -A";

pub(super) const REFRESH_EXAMPLES: &str = "\
Examples:
  # Re-mint the tokens that expire within the hour, in every namespace (what the CronJob runs)
  kubectl regcred refresh -A

  # Only secret ecr in team-a, team-b and team-c; a 3-hour margin
  kubectl regcred refresh ecr -n team-a,team-b,team-c --before 3h

  # Re-mint now whatever the expiry, and print a JSON report
  kubectl regcred refresh -A --force -o json

  # What would be re-minted, without calling a CLI or writing
  kubectl regcred refresh -A --dry-run=client

  # From cron, every 30 minutes (tokens last 1 h for GCR, 3 h for ACR, 12 h for ECR)
  */30 * * * * kubectl-regcred refresh -A --kubeconfig /etc/regcred/kubeconfig >>/var/log/regcred-refresh.log 2>&1";

pub(super) const ROTATE_EXAMPLES: &str = "\
Examples:
  # New password for ghcr.io in every copy of regcred, checked with the registry first
  kubectl regcred rotate regcred -s ghcr.io -u robot --password-file ./new-token -A

  # Every pull secret that holds ghcr.io, in the namespaces labelled team=a, in two clusters
  kubectl regcred rotate --all-holders -s ghcr.io -u robot --password-stdin \\
    --namespace-selector team=a --context prod,staging < ./new-token

  # Which copies would change, writing nothing
  kubectl regcred rotate regcred -s ghcr.io -u robot --password-file ./new-token -A --dry-run

  # A registry this machine cannot reach: skip the check; restart pods stuck on the old one
  kubectl regcred rotate regcred -s registry.internal:5000 -u ci --password-file ./pw \\
    -n build --no-verify --heal";

pub(super) const DIAGNOSE_EXAMPLES: &str = "\
Examples:
  # Every failing pod in namespace team-a
  kubectl regcred diagnose -n team-a

  # One pod; or every namespace, as JSON
  kubectl regcred diagnose web-7d9c6 -n team-a
  kubectl regcred diagnose -A -o json

  # Paste the event text from `kubectl describe pod` or a CI log
  kubectl regcred diagnose --message 'Failed to pull image \"10.141.241.175:32000/mynginx:registry\": rpc error: ... http: server gave HTTP response to HTTPS client'

  # Several messages, one per line, from stdin; JSON for scripts
  kubectl get events -n team-a -o jsonpath='{range .items[*]}{.message}{\"\\n\"}{end}' | kubectl regcred diagnose --message - -o json";

pub(super) const COMPLETION_EXAMPLES: &str = "\
Examples:
  # Bash, in the current shell
  source <(kubectl regcred completion bash)

  # Bash, for every new shell (bash-completion loads it on first use)
  kubectl regcred completion bash > ~/.local/share/bash-completion/completions/kubectl-regcred

  # Zsh: a file named _kubectl-regcred in a directory of $fpath, before compinit runs
  kubectl regcred completion zsh > ~/.zfunc/_kubectl-regcred

  # Fish
  kubectl regcred completion fish > ~/.config/fish/completions/kubectl-regcred.fish

  # PowerShell, in the current session
  kubectl regcred completion powershell | Out-String | Invoke-Expression";

pub(super) const LOGIN_EXAMPLES: &str = "\
Examples:
  # Asks for the password (hidden) on a terminal
  kubectl regcred login ghcr.io --username octocat

  # From stdin, for scripts
  echo \"$GHCR_PAT\" | kubectl regcred login ghcr.io -u octocat --password-stdin

  # Then build pull secrets from it
  kubectl regcred create ghcr --server ghcr.io --from-keyring -n team-a";

pub(super) const LOGOUT_EXAMPLES: &str = "\
Examples:
  # Forget the login for ghcr.io
  kubectl regcred logout ghcr.io";

pub(super) const LOGINS_EXAMPLES: &str = "\
Examples:
  # Registries and usernames in the OS keyring
  kubectl regcred logins

  # As JSON, for scripts
  kubectl regcred logins -o json";

pub(super) const CHECK_EXAMPLES: &str = "\
Examples:
  # Can secret regcred in namespace team-a pull this image?
  kubectl regcred check regcred --image ghcr.io/acme/app:1.0 -n team-a

  # A registry with a self-signed certificate; JSON for scripts
  kubectl regcred check regcred --image registry.internal:5000/team/app:1.0 --ca-file ca.pem -o json

  # A plain-HTTP registry (one the nodes' runtime is configured to reach over HTTP)
  kubectl regcred check local --image 10.141.241.175:32000/mynginx:registry --plain-http";

pub(super) const EXPLAIN_EXAMPLES: &str = "\
Examples:
  # Which credentials will the kubelet try for the images of deployment web, in which order?
  kubectl regcred explain deployment/web -n team-a

  # The same for a manifest not applied yet, and log in with each credential
  kubectl regcred explain -f deploy.yaml -n team-a --verify

  # Rendered manifests from stdin, as JSON for scripts
  helm template ./chart | kubectl regcred explain -f - -o json";

pub(super) const STATUS_EXAMPLES: &str = "\
Examples:
  # Pull secrets, their users and problems in namespace team-a
  kubectl regcred status -n team-a

  # Every namespace (except kube-system, kube-public, kube-node-lease), as JSON for scripts
  kubectl regcred status -A -o json

  # The namespaces labelled team=payments; fail a CI job on any error finding
  kubectl regcred status --namespace-selector team=payments || exit 1";
