
use builtin;
use str;

set edit:completion:arg-completer[kubectl-regcred] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'kubectl-regcred'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'kubectl-regcred'= {
            cand --kubeconfig 'Path to the kubeconfig file to use'
            cand --context 'Name of the kubeconfig context to use'
            cand -n 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)'
            cand --namespace 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)'
            cand --namespace-selector 'Act in the namespaces matching this label selector, e.g. team=payments'
            cand --exclude 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated'
            cand -v 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request'
            cand --v 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request'
            cand -A 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
            cand --all-namespaces 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create or update an image-pull secret, optionally attaching it to service accounts'
            cand attach 'Add a pull secret to the imagePullSecrets of service accounts'
            cand detach 'Remove a pull secret from the imagePullSecrets of service accounts'
            cand label 'Set or remove labels and annotations on existing pull secrets'
            cand delete 'Delete a pull secret and detach it from every service account that lists it'
            cand refresh 'Re-mint the cloud tokens of pull secrets made with `create --provider`, in every copy'
            cand diagnose 'Find pods that cannot pull their images, explain why, and print the fix'
            cand check 'Check that a pull secret''s credentials can pull an image from its registry'
            cand status 'Show every pull secret, its registries and users, and what is wrong with them'
            cand login 'Store a registry login in the OS keyring, for `create --from-keyring`'
            cand logout 'Remove a registry login from the OS keyring'
            cand logins 'List the registry logins stored in the OS keyring (never their passwords)'
            cand completion 'Print a shell completion script for kubectl-regcred'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kubectl-regcred;create'= {
            cand -s 'Registry server, e.g. ghcr.io or myregistry:5000; repeat for several registries [default: Docker Hub]'
            cand --server 'Registry server, e.g. ghcr.io or myregistry:5000; repeat for several registries [default: Docker Hub]'
            cand -u 'Registry username; once per --server, or once for all of them'
            cand --username 'Registry username; once per --server, or once for all of them'
            cand --email 'Email stored with the credentials (optional, as kubectl''s --docker-email)'
            cand --password-file 'Read the password or token from a file; once per --server'
            cand -p 'Refused: a password on the command line is visible to every process on the machine'
            cand --password 'Refused: a password on the command line is visible to every process on the machine'
            cand --from-docker-config 'Take credentials from a Docker config.json and its credential helpers [default: $DOCKER_CONFIG/config.json, else ~/.docker/config.json]'
            cand --provider 'Mint a token with a cloud CLI (aws, az, gcloud); auto picks it from the --server host'
            cand --region 'AWS region for ECR [default: read from the --server host]'
            cand --gcp-key-file 'A GCP service-account JSON key for GCR/Artifact Registry (user _json_key)'
            cand --from-secret 'Take registries from an existing pull secret ([NAMESPACE/]NAME); --server entries win'
            cand -l 'Label to set on the secret (KEY=VALUE), repeatable'
            cand --label 'Label to set on the secret (KEY=VALUE), repeatable'
            cand --annotation 'Annotation to set on the secret (KEY=VALUE), repeatable'
            cand --service-account 'Service accounts to change, comma-separated or repeated [default: default]'
            cand --concurrency 'Namespaces worked on at the same time'
            cand -o 'Print a machine-readable report (with --dry-run=client: the manifests)'
            cand --output 'Print a machine-readable report (with --dry-run=client: the manifests)'
            cand --dry-run '"client" only prints what would be sent; "server" submits it without persisting'
            cand --kubeconfig 'Path to the kubeconfig file to use'
            cand --context 'Name of the kubeconfig context to use'
            cand -n 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)'
            cand --namespace 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)'
            cand --namespace-selector 'Act in the namespaces matching this label selector, e.g. team=payments'
            cand --exclude 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated'
            cand -v 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request'
            cand --v 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request'
            cand --password-stdin 'Read the password or token from standard input (one line per --server when several)'
            cand --from-keyring 'Take the credentials of each --server from the OS keyring (see `kubectl regcred login`)'
            cand -y 'With --from-docker-config and no --server: take every registry without asking'
            cand --yes 'With --from-docker-config and no --server: take every registry without asking'
            cand --replace 'Drop the registries already in the secret instead of keeping them'
            cand --cluster-wide 'Label the secret runai/cluster-wide=true, so Run:ai copies it to every project'
            cand --attach 'Also add the secret to the imagePullSecrets of service accounts (default: default)'
            cand --all-service-accounts 'Change every service account in the namespace'
            cand -A 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
            cand --all-namespaces 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-regcred;attach'= {
            cand --service-account 'Service accounts to change, comma-separated or repeated [default: default]'
            cand --concurrency 'Namespaces worked on at the same time'
            cand -o 'Print a machine-readable report (with --dry-run=client: the manifests)'
            cand --output 'Print a machine-readable report (with --dry-run=client: the manifests)'
            cand --dry-run '"client" only prints what would be sent; "server" submits it without persisting'
            cand --kubeconfig 'Path to the kubeconfig file to use'
            cand --context 'Name of the kubeconfig context to use'
            cand -n 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)'
            cand --namespace 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)'
            cand --namespace-selector 'Act in the namespaces matching this label selector, e.g. team=payments'
            cand --exclude 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated'
            cand -v 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request'
            cand --v 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request'
            cand --all-service-accounts 'Change every service account in the namespace'
            cand -A 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
            cand --all-namespaces 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-regcred;detach'= {
            cand --service-account 'Service accounts to change, comma-separated or repeated [default: default]'
            cand --concurrency 'Namespaces worked on at the same time'
            cand -o 'Print a machine-readable report (with --dry-run=client: the manifests)'
            cand --output 'Print a machine-readable report (with --dry-run=client: the manifests)'
            cand --dry-run '"client" only prints what would be sent; "server" submits it without persisting'
            cand --kubeconfig 'Path to the kubeconfig file to use'
            cand --context 'Name of the kubeconfig context to use'
            cand -n 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)'
            cand --namespace 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)'
            cand --namespace-selector 'Act in the namespaces matching this label selector, e.g. team=payments'
            cand --exclude 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated'
            cand -v 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request'
            cand --v 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request'
            cand --all-service-accounts 'Change every service account in the namespace'
            cand -A 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
            cand --all-namespaces 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-regcred;label'= {
            cand --annotation 'Annotation to set (KEY=VALUE) or remove (KEY-), repeatable'
            cand --concurrency 'Namespaces worked on at the same time'
            cand -o 'Print a machine-readable report (with --dry-run=client: the manifests)'
            cand --output 'Print a machine-readable report (with --dry-run=client: the manifests)'
            cand --dry-run '"client" only prints what would be sent; "server" submits it without persisting'
            cand --kubeconfig 'Path to the kubeconfig file to use'
            cand --context 'Name of the kubeconfig context to use'
            cand -n 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)'
            cand --namespace 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)'
            cand --namespace-selector 'Act in the namespaces matching this label selector, e.g. team=payments'
            cand --exclude 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated'
            cand -v 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request'
            cand --v 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request'
            cand --cluster-wide 'Set runai/cluster-wide=true (Run:ai copies such secrets to every project)'
            cand -A 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
            cand --all-namespaces 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-regcred;delete'= {
            cand --concurrency 'Namespaces worked on at the same time'
            cand -o 'Print a machine-readable report (with --dry-run=client: the manifests)'
            cand --output 'Print a machine-readable report (with --dry-run=client: the manifests)'
            cand --dry-run '"client" only prints what would be sent; "server" submits it without persisting'
            cand --kubeconfig 'Path to the kubeconfig file to use'
            cand --context 'Name of the kubeconfig context to use'
            cand -n 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)'
            cand --namespace 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)'
            cand --namespace-selector 'Act in the namespaces matching this label selector, e.g. team=payments'
            cand --exclude 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated'
            cand -v 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request'
            cand --v 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request'
            cand -A 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
            cand --all-namespaces 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-regcred;refresh'= {
            cand --before 'Re-mint tokens that expire within this long: 90s, 30m, 1h, 1h30m, 2d'
            cand --concurrency 'Namespaces worked on at the same time'
            cand -o 'Print a machine-readable report (with --dry-run=client: the manifests)'
            cand --output 'Print a machine-readable report (with --dry-run=client: the manifests)'
            cand --dry-run '"client" only prints what would be sent; "server" submits it without persisting'
            cand --kubeconfig 'Path to the kubeconfig file to use'
            cand --context 'Name of the kubeconfig context to use'
            cand -n 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)'
            cand --namespace 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)'
            cand --namespace-selector 'Act in the namespaces matching this label selector, e.g. team=payments'
            cand --exclude 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated'
            cand -v 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request'
            cand --v 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request'
            cand --force 'Re-mint every token, however long it is still valid'
            cand -A 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
            cand --all-namespaces 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-regcred;diagnose'= {
            cand -l 'Only pods matching this label selector'
            cand --selector 'Only pods matching this label selector'
            cand -m 'Explain this event or error text instead of looking at the cluster, repeatable; "-" reads one message per line from stdin'
            cand --message 'Explain this event or error text instead of looking at the cluster, repeatable; "-" reads one message per line from stdin'
            cand --secret 'Pull secret name the suggested commands use'
            cand --ca-file 'Also trust the CA certificates in this PEM file (a registry with a self-signed certificate)'
            cand --timeout 'Give up after this long: seconds, or with a unit (10s, 2m)'
            cand -o 'Print JSON or YAML (stable fields: see README)'
            cand --output 'Print JSON or YAML (stable fields: see README)'
            cand --kubeconfig 'Path to the kubeconfig file to use'
            cand --context 'Name of the kubeconfig context to use'
            cand -n 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)'
            cand --namespace 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)'
            cand --namespace-selector 'Act in the namespaces matching this label selector, e.g. team=payments'
            cand --exclude 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated'
            cand -v 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request'
            cand --v 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request'
            cand --verify 'Also log in to each failing image''s registry with the pod''s pull secret and ask for the manifest, as the node would'
            cand --insecure-skip-tls-verify 'Accept any TLS certificate from the registry'
            cand --plain-http 'Talk plain HTTP to the registry, as runtimes do for registries configured as insecure'
            cand -A 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
            cand --all-namespaces 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-regcred;check'= {
            cand --image 'Image to check, as a pod spec names it: nginx, ghcr.io/acme/app:1.0, HOST:PORT/NAME@sha256:...'
            cand --ca-file 'Also trust the CA certificates in this PEM file (a registry with a self-signed certificate)'
            cand --timeout 'Give up after this long: seconds, or with a unit (10s, 2m)'
            cand -o 'Print JSON or YAML: secret, namespace, image, registry, entry, result, detail'
            cand --output 'Print JSON or YAML: secret, namespace, image, registry, entry, result, detail'
            cand --kubeconfig 'Path to the kubeconfig file to use'
            cand --context 'Name of the kubeconfig context to use'
            cand -n 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)'
            cand --namespace 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)'
            cand --namespace-selector 'Act in the namespaces matching this label selector, e.g. team=payments'
            cand --exclude 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated'
            cand -v 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request'
            cand --v 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request'
            cand --insecure-skip-tls-verify 'Accept any TLS certificate from the registry'
            cand --plain-http 'Talk plain HTTP to the registry, as runtimes do for registries configured as insecure'
            cand -A 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
            cand --all-namespaces 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-regcred;status'= {
            cand -o 'Print JSON or YAML: namespaces (secrets with registries and users), findings, summary'
            cand --output 'Print JSON or YAML: namespaces (secrets with registries and users), findings, summary'
            cand --kubeconfig 'Path to the kubeconfig file to use'
            cand --context 'Name of the kubeconfig context to use'
            cand -n 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)'
            cand --namespace 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)'
            cand --namespace-selector 'Act in the namespaces matching this label selector, e.g. team=payments'
            cand --exclude 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated'
            cand -v 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request'
            cand --v 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request'
            cand -A 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
            cand --all-namespaces 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-regcred;login'= {
            cand -u 'Registry username [default: asked for on a terminal]'
            cand --username 'Registry username [default: asked for on a terminal]'
            cand -p 'Refused: a password on the command line is visible to every process on the machine'
            cand --password 'Refused: a password on the command line is visible to every process on the machine'
            cand --kubeconfig 'Path to the kubeconfig file to use'
            cand --context 'Name of the kubeconfig context to use'
            cand -n 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)'
            cand --namespace 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)'
            cand --namespace-selector 'Act in the namespaces matching this label selector, e.g. team=payments'
            cand --exclude 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated'
            cand -v 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request'
            cand --v 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request'
            cand --password-stdin 'Read the password or token from standard input [default: asked for on a terminal]'
            cand -A 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
            cand --all-namespaces 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-regcred;logout'= {
            cand --kubeconfig 'Path to the kubeconfig file to use'
            cand --context 'Name of the kubeconfig context to use'
            cand -n 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)'
            cand --namespace 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)'
            cand --namespace-selector 'Act in the namespaces matching this label selector, e.g. team=payments'
            cand --exclude 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated'
            cand -v 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request'
            cand --v 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request'
            cand -A 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
            cand --all-namespaces 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-regcred;logins'= {
            cand -o 'Print JSON or YAML: logins, each with registry and username'
            cand --output 'Print JSON or YAML: logins, each with registry and username'
            cand --kubeconfig 'Path to the kubeconfig file to use'
            cand --context 'Name of the kubeconfig context to use'
            cand -n 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)'
            cand --namespace 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)'
            cand --namespace-selector 'Act in the namespaces matching this label selector, e.g. team=payments'
            cand --exclude 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated'
            cand -v 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request'
            cand --v 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request'
            cand -A 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
            cand --all-namespaces 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-regcred;completion'= {
            cand --kubeconfig 'Path to the kubeconfig file to use'
            cand --context 'Name of the kubeconfig context to use'
            cand -n 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)'
            cand --namespace 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)'
            cand --namespace-selector 'Act in the namespaces matching this label selector, e.g. team=payments'
            cand --exclude 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated'
            cand -v 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request'
            cand --v 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request'
            cand -A 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
            cand --all-namespaces 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-regcred;help'= {
            cand create 'Create or update an image-pull secret, optionally attaching it to service accounts'
            cand attach 'Add a pull secret to the imagePullSecrets of service accounts'
            cand detach 'Remove a pull secret from the imagePullSecrets of service accounts'
            cand label 'Set or remove labels and annotations on existing pull secrets'
            cand delete 'Delete a pull secret and detach it from every service account that lists it'
            cand refresh 'Re-mint the cloud tokens of pull secrets made with `create --provider`, in every copy'
            cand diagnose 'Find pods that cannot pull their images, explain why, and print the fix'
            cand check 'Check that a pull secret''s credentials can pull an image from its registry'
            cand status 'Show every pull secret, its registries and users, and what is wrong with them'
            cand login 'Store a registry login in the OS keyring, for `create --from-keyring`'
            cand logout 'Remove a registry login from the OS keyring'
            cand logins 'List the registry logins stored in the OS keyring (never their passwords)'
            cand completion 'Print a shell completion script for kubectl-regcred'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kubectl-regcred;help;create'= {
        }
        &'kubectl-regcred;help;attach'= {
        }
        &'kubectl-regcred;help;detach'= {
        }
        &'kubectl-regcred;help;label'= {
        }
        &'kubectl-regcred;help;delete'= {
        }
        &'kubectl-regcred;help;refresh'= {
        }
        &'kubectl-regcred;help;diagnose'= {
        }
        &'kubectl-regcred;help;check'= {
        }
        &'kubectl-regcred;help;status'= {
        }
        &'kubectl-regcred;help;login'= {
        }
        &'kubectl-regcred;help;logout'= {
        }
        &'kubectl-regcred;help;logins'= {
        }
        &'kubectl-regcred;help;completion'= {
        }
        &'kubectl-regcred;help;help'= {
        }
    ]
    $completions[$command]
}
