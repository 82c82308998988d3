
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'kubectl-regcred' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'kubectl-regcred'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'kubectl-regcred' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace-selector', '--namespace-selector', [CompletionResultType]::ParameterName, 'Act in the namespaces matching this label selector, e.g. team=payments')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Act on every context in the kubeconfig, side by side')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create or update an image-pull secret, optionally attaching it to service accounts')
            [CompletionResult]::new('attach', 'attach', [CompletionResultType]::ParameterValue, 'Add a pull secret to the imagePullSecrets of service accounts')
            [CompletionResult]::new('detach', 'detach', [CompletionResultType]::ParameterValue, 'Remove a pull secret from the imagePullSecrets of service accounts')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Copy a pull secret into the selected namespaces, once or continuously (--watch)')
            [CompletionResult]::new('label', 'label', [CompletionResultType]::ParameterValue, 'Set or remove labels and annotations on existing pull secrets')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a pull secret and detach it from every service account that lists it')
            [CompletionResult]::new('refresh', 'refresh', [CompletionResultType]::ParameterValue, 'Re-mint the cloud tokens of pull secrets made with `create --provider`, in every copy')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Put a new password or token for one registry into every copy of a pull secret')
            [CompletionResult]::new('diagnose', 'diagnose', [CompletionResultType]::ParameterValue, 'Find pods that cannot pull their images, explain why, and print the fix')
            [CompletionResult]::new('heal', 'heal', [CompletionResultType]::ParameterValue, 'Restart workloads whose pods are stuck on an image pull that a pull secret now fixes')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check that a pull secret''s credentials can pull an image from its registry')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Show which credentials the kubelet will try for each image of a pod or workload, and why')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show every pull secret, its registries and users, and what is wrong with them')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Store a registry login in the OS keyring, for `create --from-keyring`')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Remove a registry login from the OS keyring')
            [CompletionResult]::new('logins', 'logins', [CompletionResultType]::ParameterValue, 'List the registry logins stored in the OS keyring (never their passwords)')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script for kubectl-regcred')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-regcred;create' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Registry server, e.g. ghcr.io or myregistry:5000; repeat for several registries [default: Docker Hub]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Registry server, e.g. ghcr.io or myregistry:5000; repeat for several registries [default: Docker Hub]')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Registry username; once per --server, or once for all of them')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Registry username; once per --server, or once for all of them')
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'Email stored with the credentials (optional, as kubectl''s --docker-email)')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password or token from a file; once per --server')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Refused: a password on the command line is visible to every process on the machine')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'Refused: a password on the command line is visible to every process on the machine')
            [CompletionResult]::new('--from-docker-config', '--from-docker-config', [CompletionResultType]::ParameterName, 'Take credentials from a Docker config.json and its credential helpers [default: $DOCKER_CONFIG/config.json, else ~/.docker/config.json]')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Mint a token with a cloud CLI (aws, az, gcloud); auto picks it from the --server host')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region for ECR [default: read from the --server host]')
            [CompletionResult]::new('--gcp-key-file', '--gcp-key-file', [CompletionResultType]::ParameterName, 'A GCP service-account JSON key for GCR/Artifact Registry (user _json_key)')
            [CompletionResult]::new('--from-secret', '--from-secret', [CompletionResultType]::ParameterName, 'Take registries from an existing pull secret ([NAMESPACE/]NAME); --server entries win')
            [CompletionResult]::new('--label', '--label', [CompletionResultType]::ParameterName, 'Label to set on the secret (KEY=VALUE), repeatable')
            [CompletionResult]::new('--annotation', '--annotation', [CompletionResultType]::ParameterName, 'Annotation to set on the secret (KEY=VALUE), repeatable')
            [CompletionResult]::new('--service-account', '--service-account', [CompletionResultType]::ParameterName, 'Service accounts to change, comma-separated or repeated [default: default]')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Namespaces worked on at the same time')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Print a machine-readable report (with --dry-run=client: the manifests)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Print a machine-readable report (with --dry-run=client: the manifests)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, '"client" only prints what would be sent; "server" submits it without persisting')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace-selector', '--namespace-selector', [CompletionResultType]::ParameterName, 'Act in the namespaces matching this label selector, e.g. team=payments')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password or token from standard input (one line per --server when several)')
            [CompletionResult]::new('--from-keyring', '--from-keyring', [CompletionResultType]::ParameterName, 'Take the credentials of each --server from the OS keyring (see `kubectl regcred login`)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'With --from-docker-config and no --server: take every registry without asking')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'With --from-docker-config and no --server: take every registry without asking')
            [CompletionResult]::new('--replace', '--replace', [CompletionResultType]::ParameterName, 'Drop the registries already in the secret instead of keeping them')
            [CompletionResult]::new('--cluster-wide', '--cluster-wide', [CompletionResultType]::ParameterName, 'Label the secret runai/cluster-wide=true, so Run:ai copies it to every project')
            [CompletionResult]::new('--attach', '--attach', [CompletionResultType]::ParameterName, 'Also add the secret to the imagePullSecrets of service accounts (default: default)')
            [CompletionResult]::new('--all-service-accounts', '--all-service-accounts', [CompletionResultType]::ParameterName, 'Change every service account in the namespace')
            [CompletionResult]::new('--heal', '--heal', [CompletionResultType]::ParameterName, 'Then restart the workloads whose pods are stuck pulling an image this secret serves (create: implies --attach)')
            [CompletionResult]::new('--delete-pods', '--delete-pods', [CompletionResultType]::ParameterName, 'With --heal: also delete stuck pods of Jobs and other controllers (never bare pods)')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Act on every context in the kubeconfig, side by side')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-regcred;attach' {
            [CompletionResult]::new('--service-account', '--service-account', [CompletionResultType]::ParameterName, 'Service accounts to change, comma-separated or repeated [default: default]')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Namespaces worked on at the same time')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Print a machine-readable report (with --dry-run=client: the manifests)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Print a machine-readable report (with --dry-run=client: the manifests)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, '"client" only prints what would be sent; "server" submits it without persisting')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace-selector', '--namespace-selector', [CompletionResultType]::ParameterName, 'Act in the namespaces matching this label selector, e.g. team=payments')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--all-service-accounts', '--all-service-accounts', [CompletionResultType]::ParameterName, 'Change every service account in the namespace')
            [CompletionResult]::new('--heal', '--heal', [CompletionResultType]::ParameterName, 'Then restart the workloads whose pods are stuck pulling an image this secret serves (create: implies --attach)')
            [CompletionResult]::new('--delete-pods', '--delete-pods', [CompletionResultType]::ParameterName, 'With --heal: also delete stuck pods of Jobs and other controllers (never bare pods)')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Act on every context in the kubeconfig, side by side')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-regcred;detach' {
            [CompletionResult]::new('--service-account', '--service-account', [CompletionResultType]::ParameterName, 'Service accounts to change, comma-separated or repeated [default: default]')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Namespaces worked on at the same time')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Print a machine-readable report (with --dry-run=client: the manifests)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Print a machine-readable report (with --dry-run=client: the manifests)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, '"client" only prints what would be sent; "server" submits it without persisting')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace-selector', '--namespace-selector', [CompletionResultType]::ParameterName, 'Act in the namespaces matching this label selector, e.g. team=payments')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--all-service-accounts', '--all-service-accounts', [CompletionResultType]::ParameterName, 'Change every service account in the namespace')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Act on every context in the kubeconfig, side by side')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-regcred;sync' {
            [CompletionResult]::new('--from-secret', '--from-secret', [CompletionResultType]::ParameterName, 'The pull secret to copy, as NAMESPACE/NAME')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Name of the copies (default: the source''s name)')
            [CompletionResult]::new('--service-account', '--service-account', [CompletionResultType]::ParameterName, 'Service accounts to change, comma-separated or repeated [default: default]')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Namespaces worked on at the same time')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Print a machine-readable report (with --dry-run=client: the manifests)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Print a machine-readable report (with --dry-run=client: the manifests)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, '"client" only prints what would be sent; "server" submits it without persisting')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace-selector', '--namespace-selector', [CompletionResultType]::ParameterName, 'Act in the namespaces matching this label selector, e.g. team=payments')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--attach', '--attach', [CompletionResultType]::ParameterName, 'Also add the copies to the imagePullSecrets of service accounts (default: default)')
            [CompletionResult]::new('--all-service-accounts', '--all-service-accounts', [CompletionResultType]::ParameterName, 'Change every service account in the namespace')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Keep watching namespaces and the source until Ctrl-C or SIGTERM')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Act on every context in the kubeconfig, side by side')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-regcred;label' {
            [CompletionResult]::new('--annotation', '--annotation', [CompletionResultType]::ParameterName, 'Annotation to set (KEY=VALUE) or remove (KEY-), repeatable')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Namespaces worked on at the same time')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Print a machine-readable report (with --dry-run=client: the manifests)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Print a machine-readable report (with --dry-run=client: the manifests)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, '"client" only prints what would be sent; "server" submits it without persisting')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace-selector', '--namespace-selector', [CompletionResultType]::ParameterName, 'Act in the namespaces matching this label selector, e.g. team=payments')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--cluster-wide', '--cluster-wide', [CompletionResultType]::ParameterName, 'Label the secret runai/cluster-wide=true, so Run:ai copies it to every project')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Act on every context in the kubeconfig, side by side')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-regcred;delete' {
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Namespaces worked on at the same time')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Print a machine-readable report (with --dry-run=client: the manifests)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Print a machine-readable report (with --dry-run=client: the manifests)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, '"client" only prints what would be sent; "server" submits it without persisting')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace-selector', '--namespace-selector', [CompletionResultType]::ParameterName, 'Act in the namespaces matching this label selector, e.g. team=payments')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Act on every context in the kubeconfig, side by side')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-regcred;refresh' {
            [CompletionResult]::new('--before', '--before', [CompletionResultType]::ParameterName, 'Re-mint tokens that expire within this long: 90s, 30m, 1h, 1h30m, 2d')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Namespaces worked on at the same time')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Print a machine-readable report (with --dry-run=client: the manifests)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Print a machine-readable report (with --dry-run=client: the manifests)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, '"client" only prints what would be sent; "server" submits it without persisting')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace-selector', '--namespace-selector', [CompletionResultType]::ParameterName, 'Act in the namespaces matching this label selector, e.g. team=payments')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Re-mint every token, however long it is still valid')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Act on every context in the kubeconfig, side by side')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-regcred;rotate' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Registry server, e.g. ghcr.io or myregistry:5000; repeat for several registries [default: Docker Hub]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Registry server, e.g. ghcr.io or myregistry:5000; repeat for several registries [default: Docker Hub]')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Registry username; once per --server, or once for all of them')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Registry username; once per --server, or once for all of them')
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'Email stored with the credentials (optional, as kubectl''s --docker-email)')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password or token from a file; once per --server')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Refused: a password on the command line is visible to every process on the machine')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'Refused: a password on the command line is visible to every process on the machine')
            [CompletionResult]::new('--from-docker-config', '--from-docker-config', [CompletionResultType]::ParameterName, 'Take credentials from a Docker config.json and its credential helpers [default: $DOCKER_CONFIG/config.json, else ~/.docker/config.json]')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Mint a token with a cloud CLI (aws, az, gcloud); auto picks it from the --server host')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region for ECR [default: read from the --server host]')
            [CompletionResult]::new('--gcp-key-file', '--gcp-key-file', [CompletionResultType]::ParameterName, 'A GCP service-account JSON key for GCR/Artifact Registry (user _json_key)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Also trust the CA certificates in this PEM file (a registry with a self-signed certificate)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long: seconds, or with a unit (10s, 2m)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Namespaces worked on at the same time')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Print a machine-readable report (with --dry-run=client: the manifests)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Print a machine-readable report (with --dry-run=client: the manifests)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, '"client" only prints what would be sent; "server" submits it without persisting')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace-selector', '--namespace-selector', [CompletionResultType]::ParameterName, 'Act in the namespaces matching this label selector, e.g. team=payments')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--all-holders', '--all-holders', [CompletionResultType]::ParameterName, 'Rotate every kubernetes.io/dockerconfigjson secret that holds the registry, whatever its name')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password or token from standard input (one line per --server when several)')
            [CompletionResult]::new('--from-keyring', '--from-keyring', [CompletionResultType]::ParameterName, 'Take the credentials of each --server from the OS keyring (see `kubectl regcred login`)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'With --from-docker-config and no --server: take every registry without asking')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'With --from-docker-config and no --server: take every registry without asking')
            [CompletionResult]::new('--no-verify', '--no-verify', [CompletionResultType]::ParameterName, 'Do not try the new credentials on the registry first (for a registry this machine cannot reach)')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Accept any TLS certificate from the registry')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Talk plain HTTP to the registry, as runtimes do for registries configured as insecure')
            [CompletionResult]::new('--heal', '--heal', [CompletionResultType]::ParameterName, 'Then restart the workloads whose pods are stuck pulling an image this secret serves (create: implies --attach)')
            [CompletionResult]::new('--delete-pods', '--delete-pods', [CompletionResultType]::ParameterName, 'With --heal: also delete stuck pods of Jobs and other controllers (never bare pods)')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Act on every context in the kubeconfig, side by side')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-regcred;diagnose' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Only pods matching this label selector')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Only pods matching this label selector')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Explain this event or error text instead of looking at the cluster, repeatable; "-" reads one message per line from stdin')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'Explain this event or error text instead of looking at the cluster, repeatable; "-" reads one message per line from stdin')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Pull secret name the suggested commands use')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Also trust the CA certificates in this PEM file (a registry with a self-signed certificate)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long: seconds, or with a unit (10s, 2m)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Print JSON or YAML (stable fields: see README)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Print JSON or YAML (stable fields: see README)')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace-selector', '--namespace-selector', [CompletionResultType]::ParameterName, 'Act in the namespaces matching this label selector, e.g. team=payments')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'Also log in to each failing image''s registry with the pod''s pull secret and ask for the manifest, as the node would')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Accept any TLS certificate from the registry')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Talk plain HTTP to the registry, as runtimes do for registries configured as insecure')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Act on every context in the kubeconfig, side by side')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-regcred;heal' {
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Namespaces worked on at the same time')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Print a machine-readable report (with --dry-run=client: the manifests)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Print a machine-readable report (with --dry-run=client: the manifests)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, '"client" only prints what would be sent; "server" submits it without persisting')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace-selector', '--namespace-selector', [CompletionResultType]::ParameterName, 'Act in the namespaces matching this label selector, e.g. team=payments')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--delete-pods', '--delete-pods', [CompletionResultType]::ParameterName, 'Also delete stuck pods of Jobs and other controllers, which make new ones (never pods without a controller)')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Act on every context in the kubeconfig, side by side')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-regcred;check' {
            [CompletionResult]::new('--image', '--image', [CompletionResultType]::ParameterName, 'Image to check, as a pod spec names it: nginx, ghcr.io/acme/app:1.0, HOST:PORT/NAME@sha256:...')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Also trust the CA certificates in this PEM file (a registry with a self-signed certificate)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long: seconds, or with a unit (10s, 2m)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Print JSON or YAML: secret, namespace, image, registry, entry, result, detail')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Print JSON or YAML: secret, namespace, image, registry, entry, result, detail')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace-selector', '--namespace-selector', [CompletionResultType]::ParameterName, 'Act in the namespaces matching this label selector, e.g. team=payments')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Accept any TLS certificate from the registry')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Talk plain HTTP to the registry, as runtimes do for registries configured as insecure')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Act on every context in the kubeconfig, side by side')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-regcred;explain' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Explain the pods and workloads of this manifest, not applied (YAML or JSON, several documents or a List; - reads stdin), with the cluster''s service accounts and secrets')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Explain the pods and workloads of this manifest, not applied (YAML or JSON, several documents or a List; - reads stdin), with the cluster''s service accounts and secrets')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Also trust the CA certificates in this PEM file (a registry with a self-signed certificate)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long: seconds, or with a unit (10s, 2m)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Print JSON or YAML: objects (pull_secrets, secrets, images with credentials, not_matching, anonymous, pull_policy), cannot_see')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Print JSON or YAML: objects (pull_secrets, secrets, images with credentials, not_matching, anonymous, pull_policy), cannot_see')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace-selector', '--namespace-selector', [CompletionResultType]::ParameterName, 'Act in the namespaces matching this label selector, e.g. team=payments')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'Also log in to each image''s registry with each credential, as `check` does, and name the first that works (and whether an anonymous pull works when none does)')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Accept any TLS certificate from the registry')
            [CompletionResult]::new('--plain-http', '--plain-http', [CompletionResultType]::ParameterName, 'Talk plain HTTP to the registry, as runtimes do for registries configured as insecure')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Act on every context in the kubeconfig, side by side')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-regcred;status' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Print JSON or YAML: namespaces (secrets with registries and users), findings, summary')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Print JSON or YAML: namespaces (secrets with registries and users), findings, summary')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace-selector', '--namespace-selector', [CompletionResultType]::ParameterName, 'Act in the namespaces matching this label selector, e.g. team=payments')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Act on every context in the kubeconfig, side by side')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-regcred;login' {
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Registry username [default: asked for on a terminal]')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'Registry username [default: asked for on a terminal]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Refused: a password on the command line is visible to every process on the machine')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'Refused: a password on the command line is visible to every process on the machine')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace-selector', '--namespace-selector', [CompletionResultType]::ParameterName, 'Act in the namespaces matching this label selector, e.g. team=payments')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password or token from standard input [default: asked for on a terminal]')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Act on every context in the kubeconfig, side by side')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-regcred;logout' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace-selector', '--namespace-selector', [CompletionResultType]::ParameterName, 'Act in the namespaces matching this label selector, e.g. team=payments')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Act on every context in the kubeconfig, side by side')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-regcred;logins' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Print JSON or YAML: logins, each with registry and username')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Print JSON or YAML: logins, each with registry and username')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace-selector', '--namespace-selector', [CompletionResultType]::ParameterName, 'Act in the namespaces matching this label selector, e.g. team=payments')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Act on every context in the kubeconfig, side by side')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-regcred;completion' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file to use')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespaces to act in, comma-separated or repeated (default: the context''s namespace)')
            [CompletionResult]::new('--namespace-selector', '--namespace-selector', [CompletionResultType]::ParameterName, 'Act in the namespaces matching this label selector, e.g. team=payments')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--v', '--v', [CompletionResultType]::ParameterName, 'Log verbosity, as kubectl''s -v: 0 warnings only, 4 debug, 6+ every API request')
            [CompletionResult]::new('--all-contexts', '--all-contexts', [CompletionResultType]::ParameterName, 'Act on every context in the kubeconfig, side by side')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Act in every namespace (except kube-system, kube-public and kube-node-lease)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-regcred;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create or update an image-pull secret, optionally attaching it to service accounts')
            [CompletionResult]::new('attach', 'attach', [CompletionResultType]::ParameterValue, 'Add a pull secret to the imagePullSecrets of service accounts')
            [CompletionResult]::new('detach', 'detach', [CompletionResultType]::ParameterValue, 'Remove a pull secret from the imagePullSecrets of service accounts')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Copy a pull secret into the selected namespaces, once or continuously (--watch)')
            [CompletionResult]::new('label', 'label', [CompletionResultType]::ParameterValue, 'Set or remove labels and annotations on existing pull secrets')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a pull secret and detach it from every service account that lists it')
            [CompletionResult]::new('refresh', 'refresh', [CompletionResultType]::ParameterValue, 'Re-mint the cloud tokens of pull secrets made with `create --provider`, in every copy')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Put a new password or token for one registry into every copy of a pull secret')
            [CompletionResult]::new('diagnose', 'diagnose', [CompletionResultType]::ParameterValue, 'Find pods that cannot pull their images, explain why, and print the fix')
            [CompletionResult]::new('heal', 'heal', [CompletionResultType]::ParameterValue, 'Restart workloads whose pods are stuck on an image pull that a pull secret now fixes')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check that a pull secret''s credentials can pull an image from its registry')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Show which credentials the kubelet will try for each image of a pod or workload, and why')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show every pull secret, its registries and users, and what is wrong with them')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Store a registry login in the OS keyring, for `create --from-keyring`')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Remove a registry login from the OS keyring')
            [CompletionResult]::new('logins', 'logins', [CompletionResultType]::ParameterValue, 'List the registry logins stored in the OS keyring (never their passwords)')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script for kubectl-regcred')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-regcred;help;create' {
            break
        }
        'kubectl-regcred;help;attach' {
            break
        }
        'kubectl-regcred;help;detach' {
            break
        }
        'kubectl-regcred;help;sync' {
            break
        }
        'kubectl-regcred;help;label' {
            break
        }
        'kubectl-regcred;help;delete' {
            break
        }
        'kubectl-regcred;help;refresh' {
            break
        }
        'kubectl-regcred;help;rotate' {
            break
        }
        'kubectl-regcred;help;diagnose' {
            break
        }
        'kubectl-regcred;help;heal' {
            break
        }
        'kubectl-regcred;help;check' {
            break
        }
        'kubectl-regcred;help;explain' {
            break
        }
        'kubectl-regcred;help;status' {
            break
        }
        'kubectl-regcred;help;login' {
            break
        }
        'kubectl-regcred;help;logout' {
            break
        }
        'kubectl-regcred;help;logins' {
            break
        }
        'kubectl-regcred;help;completion' {
            break
        }
        'kubectl-regcred;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
