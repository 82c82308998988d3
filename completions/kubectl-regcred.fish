# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_kubectl_regcred_global_optspecs
    string join \n kubeconfig= context= all-contexts n/namespace= A/all-namespaces namespace-selector= exclude= request-timeout= v/v= h/help V/version
end

function __fish_kubectl_regcred_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_kubectl_regcred_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_kubectl_regcred_using_subcommand
    set -l cmd (__fish_kubectl_regcred_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c kubectl-regcred -n "__fish_kubectl_regcred_needs_command" -l kubeconfig -d 'Path to the kubeconfig file to use' -r -F
complete -c kubectl-regcred -n "__fish_kubectl_regcred_needs_command" -l context -d 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_needs_command" -s n -l namespace -d 'Namespaces to act in, comma-separated or repeated (default: the context\'s namespace)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_needs_command" -l namespace-selector -d 'Act in the namespaces matching this label selector, e.g. team=payments' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_needs_command" -l exclude -d 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_needs_command" -l request-timeout -d 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_needs_command" -s v -l v -d 'Log verbosity, as kubectl\'s -v: 0 warnings only, 4 debug, 6+ every API request' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_needs_command" -l all-contexts -d 'Act on every context in the kubeconfig, side by side'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_needs_command" -s A -l all-namespaces -d 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_needs_command" -s V -l version -d 'Print version'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_needs_command" -f -a "create" -d 'Create or update an image-pull secret, optionally attaching it to service accounts'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_needs_command" -f -a "attach" -d 'Add a pull secret to the imagePullSecrets of service accounts'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_needs_command" -f -a "detach" -d 'Remove a pull secret from the imagePullSecrets of service accounts'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_needs_command" -f -a "sync" -d 'Copy a pull secret into the selected namespaces, once or continuously (--watch)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_needs_command" -f -a "label" -d 'Set or remove labels and annotations on existing pull secrets'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_needs_command" -f -a "delete" -d 'Delete a pull secret and detach it from every service account that lists it'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_needs_command" -f -a "refresh" -d 'Re-mint the cloud tokens of pull secrets made with `create --provider`, in every copy'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_needs_command" -f -a "rotate" -d 'Put a new password or token for one registry into every copy of a pull secret'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_needs_command" -f -a "diagnose" -d 'Find pods that cannot pull their images, explain why, and print the fix'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_needs_command" -f -a "heal" -d 'Restart workloads whose pods are stuck on an image pull that a pull secret now fixes'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_needs_command" -f -a "check" -d 'Check that a pull secret\'s credentials can pull an image from its registry'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_needs_command" -f -a "explain" -d 'Show which credentials the kubelet will try for each image of a pod or workload, and why'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_needs_command" -f -a "status" -d 'Show every pull secret, its registries and users, and what is wrong with them'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_needs_command" -f -a "login" -d 'Store a registry login in the OS keyring, for `create --from-keyring`'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_needs_command" -f -a "logout" -d 'Remove a registry login from the OS keyring'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_needs_command" -f -a "logins" -d 'List the registry logins stored in the OS keyring (never their passwords)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_needs_command" -f -a "completion" -d 'Print a shell completion script for kubectl-regcred'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -s s -l server -d 'Registry server, e.g. ghcr.io or myregistry:5000; repeat for several registries [default: Docker Hub]' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -s u -l username -d 'Registry username; once per --server, or once for all of them' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -l email -d 'Email stored with the credentials (optional, as kubectl\'s --docker-email)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -l password-file -d 'Read the password or token from a file; once per --server' -r -F
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -s p -l password -d 'Refused: a password on the command line is visible to every process on the machine' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -l from-docker-config -d 'Take credentials from a Docker config.json and its credential helpers [default: $DOCKER_CONFIG/config.json, else ~/.docker/config.json]' -r -F
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -l provider -d 'Mint a token with a cloud CLI (aws, az, gcloud); auto picks it from the --server host' -r -f -a "auto\t'Decide from the --server host'
ecr\t'Amazon ECR: aws ecr get-login-password (12 h)'
acr\t'Azure ACR: az acr login --expose-token (3 h)'
gcr\t'Google GCR / Artifact Registry: gcloud auth print-access-token (1 h)'"
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -l region -d 'AWS region for ECR [default: read from the --server host]' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -l gcp-key-file -d 'A GCP service-account JSON key for GCR/Artifact Registry (user _json_key)' -r -F
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -l from-secret -d 'Take registries from an existing pull secret ([NAMESPACE/]NAME); --server entries win' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -l label -d 'Label to set on the secret (KEY=VALUE), repeatable' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -l annotation -d 'Annotation to set on the secret (KEY=VALUE), repeatable' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -l service-account -d 'Service accounts to change, comma-separated or repeated [default: default]' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -l concurrency -d 'Namespaces worked on at the same time' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -s o -l output -d 'Print a machine-readable report (with --dry-run=client: the manifests)' -r -f -a "yaml\t''
json\t''"
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -l dry-run -d '"client" only prints what would be sent; "server" submits it without persisting' -r -f -a "client\t'Build the objects locally; change nothing in the cluster'
server\t'Send them to the API server for validation and admission, persist nothing'
none\t'Do it for real (kubectl\'s spelling of \'no dry run\')'"
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -l kubeconfig -d 'Path to the kubeconfig file to use' -r -F
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -l context -d 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -s n -l namespace -d 'Namespaces to act in, comma-separated or repeated (default: the context\'s namespace)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -l namespace-selector -d 'Act in the namespaces matching this label selector, e.g. team=payments' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -l exclude -d 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -l request-timeout -d 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -s v -l v -d 'Log verbosity, as kubectl\'s -v: 0 warnings only, 4 debug, 6+ every API request' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -l password-stdin -d 'Read the password or token from standard input (one line per --server when several)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -l from-keyring -d 'Take the credentials of each --server from the OS keyring (see `kubectl regcred login`)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -s y -l yes -d 'With --from-docker-config and no --server: take every registry without asking'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -l replace -d 'Drop the registries already in the secret instead of keeping them'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -l cluster-wide -d 'Label the secret runai/cluster-wide=true, so Run:ai copies it to every project'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -l attach -d 'Also add the secret to the imagePullSecrets of service accounts (default: default)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -l all-service-accounts -d 'Change every service account in the namespace'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -l heal -d 'Then restart the workloads whose pods are stuck pulling an image this secret serves (create: implies --attach)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -l delete-pods -d 'With --heal: also delete stuck pods of Jobs and other controllers (never bare pods)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -l all-contexts -d 'Act on every context in the kubeconfig, side by side'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -s A -l all-namespaces -d 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand create" -s V -l version -d 'Print version'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand attach" -l service-account -d 'Service accounts to change, comma-separated or repeated [default: default]' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand attach" -l concurrency -d 'Namespaces worked on at the same time' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand attach" -s o -l output -d 'Print a machine-readable report (with --dry-run=client: the manifests)' -r -f -a "yaml\t''
json\t''"
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand attach" -l dry-run -d '"client" only prints what would be sent; "server" submits it without persisting' -r -f -a "client\t'Build the objects locally; change nothing in the cluster'
server\t'Send them to the API server for validation and admission, persist nothing'
none\t'Do it for real (kubectl\'s spelling of \'no dry run\')'"
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand attach" -l kubeconfig -d 'Path to the kubeconfig file to use' -r -F
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand attach" -l context -d 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand attach" -s n -l namespace -d 'Namespaces to act in, comma-separated or repeated (default: the context\'s namespace)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand attach" -l namespace-selector -d 'Act in the namespaces matching this label selector, e.g. team=payments' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand attach" -l exclude -d 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand attach" -l request-timeout -d 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand attach" -s v -l v -d 'Log verbosity, as kubectl\'s -v: 0 warnings only, 4 debug, 6+ every API request' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand attach" -l all-service-accounts -d 'Change every service account in the namespace'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand attach" -l heal -d 'Then restart the workloads whose pods are stuck pulling an image this secret serves (create: implies --attach)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand attach" -l delete-pods -d 'With --heal: also delete stuck pods of Jobs and other controllers (never bare pods)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand attach" -l all-contexts -d 'Act on every context in the kubeconfig, side by side'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand attach" -s A -l all-namespaces -d 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand attach" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand attach" -s V -l version -d 'Print version'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand detach" -l service-account -d 'Service accounts to change, comma-separated or repeated [default: default]' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand detach" -l concurrency -d 'Namespaces worked on at the same time' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand detach" -s o -l output -d 'Print a machine-readable report (with --dry-run=client: the manifests)' -r -f -a "yaml\t''
json\t''"
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand detach" -l dry-run -d '"client" only prints what would be sent; "server" submits it without persisting' -r -f -a "client\t'Build the objects locally; change nothing in the cluster'
server\t'Send them to the API server for validation and admission, persist nothing'
none\t'Do it for real (kubectl\'s spelling of \'no dry run\')'"
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand detach" -l kubeconfig -d 'Path to the kubeconfig file to use' -r -F
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand detach" -l context -d 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand detach" -s n -l namespace -d 'Namespaces to act in, comma-separated or repeated (default: the context\'s namespace)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand detach" -l namespace-selector -d 'Act in the namespaces matching this label selector, e.g. team=payments' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand detach" -l exclude -d 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand detach" -l request-timeout -d 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand detach" -s v -l v -d 'Log verbosity, as kubectl\'s -v: 0 warnings only, 4 debug, 6+ every API request' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand detach" -l all-service-accounts -d 'Change every service account in the namespace'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand detach" -l all-contexts -d 'Act on every context in the kubeconfig, side by side'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand detach" -s A -l all-namespaces -d 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand detach" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand detach" -s V -l version -d 'Print version'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand sync" -l from-secret -d 'The pull secret to copy, as NAMESPACE/NAME' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand sync" -l name -d 'Name of the copies (default: the source\'s name)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand sync" -l service-account -d 'Service accounts to change, comma-separated or repeated [default: default]' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand sync" -l concurrency -d 'Namespaces worked on at the same time' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand sync" -s o -l output -d 'Print a machine-readable report (with --dry-run=client: the manifests)' -r -f -a "yaml\t''
json\t''"
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand sync" -l dry-run -d '"client" only prints what would be sent; "server" submits it without persisting' -r -f -a "client\t'Build the objects locally; change nothing in the cluster'
server\t'Send them to the API server for validation and admission, persist nothing'
none\t'Do it for real (kubectl\'s spelling of \'no dry run\')'"
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand sync" -l kubeconfig -d 'Path to the kubeconfig file to use' -r -F
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand sync" -l context -d 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand sync" -s n -l namespace -d 'Namespaces to act in, comma-separated or repeated (default: the context\'s namespace)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand sync" -l namespace-selector -d 'Act in the namespaces matching this label selector, e.g. team=payments' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand sync" -l exclude -d 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand sync" -l request-timeout -d 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand sync" -s v -l v -d 'Log verbosity, as kubectl\'s -v: 0 warnings only, 4 debug, 6+ every API request' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand sync" -l attach -d 'Also add the copies to the imagePullSecrets of service accounts (default: default)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand sync" -l all-service-accounts -d 'Change every service account in the namespace'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand sync" -l watch -d 'Keep watching namespaces and the source until Ctrl-C or SIGTERM'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand sync" -l all-contexts -d 'Act on every context in the kubeconfig, side by side'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand sync" -s A -l all-namespaces -d 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand sync" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand sync" -s V -l version -d 'Print version'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand label" -l annotation -d 'Annotation to set (KEY=VALUE) or remove (KEY-), repeatable' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand label" -l concurrency -d 'Namespaces worked on at the same time' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand label" -s o -l output -d 'Print a machine-readable report (with --dry-run=client: the manifests)' -r -f -a "yaml\t''
json\t''"
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand label" -l dry-run -d '"client" only prints what would be sent; "server" submits it without persisting' -r -f -a "client\t'Build the objects locally; change nothing in the cluster'
server\t'Send them to the API server for validation and admission, persist nothing'
none\t'Do it for real (kubectl\'s spelling of \'no dry run\')'"
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand label" -l kubeconfig -d 'Path to the kubeconfig file to use' -r -F
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand label" -l context -d 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand label" -s n -l namespace -d 'Namespaces to act in, comma-separated or repeated (default: the context\'s namespace)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand label" -l namespace-selector -d 'Act in the namespaces matching this label selector, e.g. team=payments' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand label" -l exclude -d 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand label" -l request-timeout -d 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand label" -s v -l v -d 'Log verbosity, as kubectl\'s -v: 0 warnings only, 4 debug, 6+ every API request' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand label" -l cluster-wide -d 'Label the secret runai/cluster-wide=true, so Run:ai copies it to every project'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand label" -l all-contexts -d 'Act on every context in the kubeconfig, side by side'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand label" -s A -l all-namespaces -d 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand label" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand label" -s V -l version -d 'Print version'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand delete" -l concurrency -d 'Namespaces worked on at the same time' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand delete" -s o -l output -d 'Print a machine-readable report (with --dry-run=client: the manifests)' -r -f -a "yaml\t''
json\t''"
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand delete" -l dry-run -d '"client" only prints what would be sent; "server" submits it without persisting' -r -f -a "client\t'Build the objects locally; change nothing in the cluster'
server\t'Send them to the API server for validation and admission, persist nothing'
none\t'Do it for real (kubectl\'s spelling of \'no dry run\')'"
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand delete" -l kubeconfig -d 'Path to the kubeconfig file to use' -r -F
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand delete" -l context -d 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand delete" -s n -l namespace -d 'Namespaces to act in, comma-separated or repeated (default: the context\'s namespace)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand delete" -l namespace-selector -d 'Act in the namespaces matching this label selector, e.g. team=payments' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand delete" -l exclude -d 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand delete" -l request-timeout -d 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand delete" -s v -l v -d 'Log verbosity, as kubectl\'s -v: 0 warnings only, 4 debug, 6+ every API request' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand delete" -l all-contexts -d 'Act on every context in the kubeconfig, side by side'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand delete" -s A -l all-namespaces -d 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand delete" -s V -l version -d 'Print version'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand refresh" -l before -d 'Re-mint tokens that expire within this long: 90s, 30m, 1h, 1h30m, 2d' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand refresh" -l concurrency -d 'Namespaces worked on at the same time' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand refresh" -s o -l output -d 'Print a machine-readable report (with --dry-run=client: the manifests)' -r -f -a "yaml\t''
json\t''"
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand refresh" -l dry-run -d '"client" only prints what would be sent; "server" submits it without persisting' -r -f -a "client\t'Build the objects locally; change nothing in the cluster'
server\t'Send them to the API server for validation and admission, persist nothing'
none\t'Do it for real (kubectl\'s spelling of \'no dry run\')'"
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand refresh" -l kubeconfig -d 'Path to the kubeconfig file to use' -r -F
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand refresh" -l context -d 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand refresh" -s n -l namespace -d 'Namespaces to act in, comma-separated or repeated (default: the context\'s namespace)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand refresh" -l namespace-selector -d 'Act in the namespaces matching this label selector, e.g. team=payments' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand refresh" -l exclude -d 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand refresh" -l request-timeout -d 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand refresh" -s v -l v -d 'Log verbosity, as kubectl\'s -v: 0 warnings only, 4 debug, 6+ every API request' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand refresh" -l force -d 'Re-mint every token, however long it is still valid'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand refresh" -l all-contexts -d 'Act on every context in the kubeconfig, side by side'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand refresh" -s A -l all-namespaces -d 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand refresh" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand refresh" -s V -l version -d 'Print version'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -s s -l server -d 'Registry server, e.g. ghcr.io or myregistry:5000; repeat for several registries [default: Docker Hub]' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -s u -l username -d 'Registry username; once per --server, or once for all of them' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -l email -d 'Email stored with the credentials (optional, as kubectl\'s --docker-email)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -l password-file -d 'Read the password or token from a file; once per --server' -r -F
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -s p -l password -d 'Refused: a password on the command line is visible to every process on the machine' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -l from-docker-config -d 'Take credentials from a Docker config.json and its credential helpers [default: $DOCKER_CONFIG/config.json, else ~/.docker/config.json]' -r -F
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -l provider -d 'Mint a token with a cloud CLI (aws, az, gcloud); auto picks it from the --server host' -r -f -a "auto\t'Decide from the --server host'
ecr\t'Amazon ECR: aws ecr get-login-password (12 h)'
acr\t'Azure ACR: az acr login --expose-token (3 h)'
gcr\t'Google GCR / Artifact Registry: gcloud auth print-access-token (1 h)'"
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -l region -d 'AWS region for ECR [default: read from the --server host]' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -l gcp-key-file -d 'A GCP service-account JSON key for GCR/Artifact Registry (user _json_key)' -r -F
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -l ca-file -d 'Also trust the CA certificates in this PEM file (a registry with a self-signed certificate)' -r -F
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -l timeout -d 'Give up after this long: seconds, or with a unit (10s, 2m)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -l concurrency -d 'Namespaces worked on at the same time' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -s o -l output -d 'Print a machine-readable report (with --dry-run=client: the manifests)' -r -f -a "yaml\t''
json\t''"
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -l dry-run -d '"client" only prints what would be sent; "server" submits it without persisting' -r -f -a "client\t'Build the objects locally; change nothing in the cluster'
server\t'Send them to the API server for validation and admission, persist nothing'
none\t'Do it for real (kubectl\'s spelling of \'no dry run\')'"
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -l kubeconfig -d 'Path to the kubeconfig file to use' -r -F
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -l context -d 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -s n -l namespace -d 'Namespaces to act in, comma-separated or repeated (default: the context\'s namespace)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -l namespace-selector -d 'Act in the namespaces matching this label selector, e.g. team=payments' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -l exclude -d 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -l request-timeout -d 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -s v -l v -d 'Log verbosity, as kubectl\'s -v: 0 warnings only, 4 debug, 6+ every API request' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -l all-holders -d 'Rotate every kubernetes.io/dockerconfigjson secret that holds the registry, whatever its name'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -l password-stdin -d 'Read the password or token from standard input (one line per --server when several)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -l from-keyring -d 'Take the credentials of each --server from the OS keyring (see `kubectl regcred login`)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -s y -l yes -d 'With --from-docker-config and no --server: take every registry without asking'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -l no-verify -d 'Do not try the new credentials on the registry first (for a registry this machine cannot reach)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -l insecure-skip-tls-verify -d 'Accept any TLS certificate from the registry'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -l plain-http -d 'Talk plain HTTP to the registry, as runtimes do for registries configured as insecure'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -l heal -d 'Then restart the workloads whose pods are stuck pulling an image this secret serves (create: implies --attach)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -l delete-pods -d 'With --heal: also delete stuck pods of Jobs and other controllers (never bare pods)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -l all-contexts -d 'Act on every context in the kubeconfig, side by side'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -s A -l all-namespaces -d 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand rotate" -s V -l version -d 'Print version'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand diagnose" -s l -l selector -d 'Only pods matching this label selector' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand diagnose" -s m -l message -d 'Explain this event or error text instead of looking at the cluster, repeatable; "-" reads one message per line from stdin' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand diagnose" -l secret -d 'Pull secret name the suggested commands use' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand diagnose" -l ca-file -d 'Also trust the CA certificates in this PEM file (a registry with a self-signed certificate)' -r -F
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand diagnose" -l timeout -d 'Give up after this long: seconds, or with a unit (10s, 2m)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand diagnose" -s o -l output -d 'Print JSON or YAML (stable fields: see README)' -r -f -a "yaml\t''
json\t''"
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand diagnose" -l kubeconfig -d 'Path to the kubeconfig file to use' -r -F
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand diagnose" -l context -d 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand diagnose" -s n -l namespace -d 'Namespaces to act in, comma-separated or repeated (default: the context\'s namespace)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand diagnose" -l namespace-selector -d 'Act in the namespaces matching this label selector, e.g. team=payments' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand diagnose" -l exclude -d 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand diagnose" -l request-timeout -d 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand diagnose" -s v -l v -d 'Log verbosity, as kubectl\'s -v: 0 warnings only, 4 debug, 6+ every API request' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand diagnose" -l verify -d 'Also log in to each failing image\'s registry with the pod\'s pull secret and ask for the manifest, as the node would'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand diagnose" -l insecure-skip-tls-verify -d 'Accept any TLS certificate from the registry'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand diagnose" -l plain-http -d 'Talk plain HTTP to the registry, as runtimes do for registries configured as insecure'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand diagnose" -l all-contexts -d 'Act on every context in the kubeconfig, side by side'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand diagnose" -s A -l all-namespaces -d 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand diagnose" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand diagnose" -s V -l version -d 'Print version'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand heal" -l concurrency -d 'Namespaces worked on at the same time' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand heal" -s o -l output -d 'Print a machine-readable report (with --dry-run=client: the manifests)' -r -f -a "yaml\t''
json\t''"
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand heal" -l dry-run -d '"client" only prints what would be sent; "server" submits it without persisting' -r -f -a "client\t'Build the objects locally; change nothing in the cluster'
server\t'Send them to the API server for validation and admission, persist nothing'
none\t'Do it for real (kubectl\'s spelling of \'no dry run\')'"
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand heal" -l kubeconfig -d 'Path to the kubeconfig file to use' -r -F
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand heal" -l context -d 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand heal" -s n -l namespace -d 'Namespaces to act in, comma-separated or repeated (default: the context\'s namespace)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand heal" -l namespace-selector -d 'Act in the namespaces matching this label selector, e.g. team=payments' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand heal" -l exclude -d 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand heal" -l request-timeout -d 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand heal" -s v -l v -d 'Log verbosity, as kubectl\'s -v: 0 warnings only, 4 debug, 6+ every API request' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand heal" -l delete-pods -d 'Also delete stuck pods of Jobs and other controllers, which make new ones (never pods without a controller)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand heal" -l all-contexts -d 'Act on every context in the kubeconfig, side by side'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand heal" -s A -l all-namespaces -d 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand heal" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand heal" -s V -l version -d 'Print version'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand check" -l image -d 'Image to check, as a pod spec names it: nginx, ghcr.io/acme/app:1.0, HOST:PORT/NAME@sha256:...' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand check" -l ca-file -d 'Also trust the CA certificates in this PEM file (a registry with a self-signed certificate)' -r -F
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand check" -l timeout -d 'Give up after this long: seconds, or with a unit (10s, 2m)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand check" -s o -l output -d 'Print JSON or YAML: secret, namespace, image, registry, entry, result, detail' -r -f -a "yaml\t''
json\t''"
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand check" -l kubeconfig -d 'Path to the kubeconfig file to use' -r -F
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand check" -l context -d 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand check" -s n -l namespace -d 'Namespaces to act in, comma-separated or repeated (default: the context\'s namespace)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand check" -l namespace-selector -d 'Act in the namespaces matching this label selector, e.g. team=payments' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand check" -l exclude -d 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand check" -l request-timeout -d 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand check" -s v -l v -d 'Log verbosity, as kubectl\'s -v: 0 warnings only, 4 debug, 6+ every API request' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand check" -l insecure-skip-tls-verify -d 'Accept any TLS certificate from the registry'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand check" -l plain-http -d 'Talk plain HTTP to the registry, as runtimes do for registries configured as insecure'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand check" -l all-contexts -d 'Act on every context in the kubeconfig, side by side'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand check" -s A -l all-namespaces -d 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand check" -s V -l version -d 'Print version'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand explain" -s f -l filename -d 'Explain the pods and workloads of this manifest, not applied (YAML or JSON, several documents or a List; - reads stdin), with the cluster\'s service accounts and secrets' -r -F
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand explain" -l ca-file -d 'Also trust the CA certificates in this PEM file (a registry with a self-signed certificate)' -r -F
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand explain" -l timeout -d 'Give up after this long: seconds, or with a unit (10s, 2m)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand explain" -s o -l output -d 'Print JSON or YAML: objects (pull_secrets, secrets, images with credentials, not_matching, anonymous, pull_policy), cannot_see' -r -f -a "yaml\t''
json\t''"
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand explain" -l kubeconfig -d 'Path to the kubeconfig file to use' -r -F
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand explain" -l context -d 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand explain" -s n -l namespace -d 'Namespaces to act in, comma-separated or repeated (default: the context\'s namespace)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand explain" -l namespace-selector -d 'Act in the namespaces matching this label selector, e.g. team=payments' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand explain" -l exclude -d 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand explain" -l request-timeout -d 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand explain" -s v -l v -d 'Log verbosity, as kubectl\'s -v: 0 warnings only, 4 debug, 6+ every API request' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand explain" -l verify -d 'Also log in to each image\'s registry with each credential, as `check` does, and name the first that works (and whether an anonymous pull works when none does)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand explain" -l insecure-skip-tls-verify -d 'Accept any TLS certificate from the registry'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand explain" -l plain-http -d 'Talk plain HTTP to the registry, as runtimes do for registries configured as insecure'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand explain" -l all-contexts -d 'Act on every context in the kubeconfig, side by side'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand explain" -s A -l all-namespaces -d 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand explain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand explain" -s V -l version -d 'Print version'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand status" -s o -l output -d 'Print JSON or YAML: namespaces (secrets with registries and users), findings, summary' -r -f -a "yaml\t''
json\t''"
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand status" -l kubeconfig -d 'Path to the kubeconfig file to use' -r -F
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand status" -l context -d 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand status" -s n -l namespace -d 'Namespaces to act in, comma-separated or repeated (default: the context\'s namespace)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand status" -l namespace-selector -d 'Act in the namespaces matching this label selector, e.g. team=payments' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand status" -l exclude -d 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand status" -l request-timeout -d 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand status" -s v -l v -d 'Log verbosity, as kubectl\'s -v: 0 warnings only, 4 debug, 6+ every API request' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand status" -l all-contexts -d 'Act on every context in the kubeconfig, side by side'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand status" -s A -l all-namespaces -d 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand status" -s V -l version -d 'Print version'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand login" -s u -l username -d 'Registry username [default: asked for on a terminal]' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand login" -s p -l password -d 'Refused: a password on the command line is visible to every process on the machine' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand login" -l kubeconfig -d 'Path to the kubeconfig file to use' -r -F
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand login" -l context -d 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand login" -s n -l namespace -d 'Namespaces to act in, comma-separated or repeated (default: the context\'s namespace)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand login" -l namespace-selector -d 'Act in the namespaces matching this label selector, e.g. team=payments' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand login" -l exclude -d 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand login" -l request-timeout -d 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand login" -s v -l v -d 'Log verbosity, as kubectl\'s -v: 0 warnings only, 4 debug, 6+ every API request' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand login" -l password-stdin -d 'Read the password or token from standard input [default: asked for on a terminal]'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand login" -l all-contexts -d 'Act on every context in the kubeconfig, side by side'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand login" -s A -l all-namespaces -d 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand login" -s V -l version -d 'Print version'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand logout" -l kubeconfig -d 'Path to the kubeconfig file to use' -r -F
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand logout" -l context -d 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand logout" -s n -l namespace -d 'Namespaces to act in, comma-separated or repeated (default: the context\'s namespace)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand logout" -l namespace-selector -d 'Act in the namespaces matching this label selector, e.g. team=payments' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand logout" -l exclude -d 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand logout" -l request-timeout -d 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand logout" -s v -l v -d 'Log verbosity, as kubectl\'s -v: 0 warnings only, 4 debug, 6+ every API request' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand logout" -l all-contexts -d 'Act on every context in the kubeconfig, side by side'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand logout" -s A -l all-namespaces -d 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand logout" -s h -l help -d 'Print help'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand logout" -s V -l version -d 'Print version'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand logins" -s o -l output -d 'Print JSON or YAML: logins, each with registry and username' -r -f -a "yaml\t''
json\t''"
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand logins" -l kubeconfig -d 'Path to the kubeconfig file to use' -r -F
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand logins" -l context -d 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand logins" -s n -l namespace -d 'Namespaces to act in, comma-separated or repeated (default: the context\'s namespace)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand logins" -l namespace-selector -d 'Act in the namespaces matching this label selector, e.g. team=payments' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand logins" -l exclude -d 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand logins" -l request-timeout -d 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand logins" -s v -l v -d 'Log verbosity, as kubectl\'s -v: 0 warnings only, 4 debug, 6+ every API request' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand logins" -l all-contexts -d 'Act on every context in the kubeconfig, side by side'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand logins" -s A -l all-namespaces -d 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand logins" -s h -l help -d 'Print help'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand logins" -s V -l version -d 'Print version'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand completion" -l kubeconfig -d 'Path to the kubeconfig file to use' -r -F
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand completion" -l context -d 'Kubeconfig contexts to use, comma-separated or repeated (default: the current context)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand completion" -s n -l namespace -d 'Namespaces to act in, comma-separated or repeated (default: the context\'s namespace)' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand completion" -l namespace-selector -d 'Act in the namespaces matching this label selector, e.g. team=payments' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand completion" -l exclude -d 'Namespaces to leave out: names or globs (team-*), comma-separated or repeated' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand completion" -l request-timeout -d 'Time limit for each API request, e.g. 10s or 1m (0: none); failed requests are retried' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand completion" -s v -l v -d 'Log verbosity, as kubectl\'s -v: 0 warnings only, 4 debug, 6+ every API request' -r
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand completion" -l all-contexts -d 'Act on every context in the kubeconfig, side by side'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand completion" -s A -l all-namespaces -d 'Act in every namespace (except kube-system, kube-public and kube-node-lease)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand completion" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand completion" -s V -l version -d 'Print version'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand help; and not __fish_seen_subcommand_from create attach detach sync label delete refresh rotate diagnose heal check explain status login logout logins completion help" -f -a "create" -d 'Create or update an image-pull secret, optionally attaching it to service accounts'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand help; and not __fish_seen_subcommand_from create attach detach sync label delete refresh rotate diagnose heal check explain status login logout logins completion help" -f -a "attach" -d 'Add a pull secret to the imagePullSecrets of service accounts'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand help; and not __fish_seen_subcommand_from create attach detach sync label delete refresh rotate diagnose heal check explain status login logout logins completion help" -f -a "detach" -d 'Remove a pull secret from the imagePullSecrets of service accounts'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand help; and not __fish_seen_subcommand_from create attach detach sync label delete refresh rotate diagnose heal check explain status login logout logins completion help" -f -a "sync" -d 'Copy a pull secret into the selected namespaces, once or continuously (--watch)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand help; and not __fish_seen_subcommand_from create attach detach sync label delete refresh rotate diagnose heal check explain status login logout logins completion help" -f -a "label" -d 'Set or remove labels and annotations on existing pull secrets'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand help; and not __fish_seen_subcommand_from create attach detach sync label delete refresh rotate diagnose heal check explain status login logout logins completion help" -f -a "delete" -d 'Delete a pull secret and detach it from every service account that lists it'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand help; and not __fish_seen_subcommand_from create attach detach sync label delete refresh rotate diagnose heal check explain status login logout logins completion help" -f -a "refresh" -d 'Re-mint the cloud tokens of pull secrets made with `create --provider`, in every copy'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand help; and not __fish_seen_subcommand_from create attach detach sync label delete refresh rotate diagnose heal check explain status login logout logins completion help" -f -a "rotate" -d 'Put a new password or token for one registry into every copy of a pull secret'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand help; and not __fish_seen_subcommand_from create attach detach sync label delete refresh rotate diagnose heal check explain status login logout logins completion help" -f -a "diagnose" -d 'Find pods that cannot pull their images, explain why, and print the fix'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand help; and not __fish_seen_subcommand_from create attach detach sync label delete refresh rotate diagnose heal check explain status login logout logins completion help" -f -a "heal" -d 'Restart workloads whose pods are stuck on an image pull that a pull secret now fixes'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand help; and not __fish_seen_subcommand_from create attach detach sync label delete refresh rotate diagnose heal check explain status login logout logins completion help" -f -a "check" -d 'Check that a pull secret\'s credentials can pull an image from its registry'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand help; and not __fish_seen_subcommand_from create attach detach sync label delete refresh rotate diagnose heal check explain status login logout logins completion help" -f -a "explain" -d 'Show which credentials the kubelet will try for each image of a pod or workload, and why'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand help; and not __fish_seen_subcommand_from create attach detach sync label delete refresh rotate diagnose heal check explain status login logout logins completion help" -f -a "status" -d 'Show every pull secret, its registries and users, and what is wrong with them'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand help; and not __fish_seen_subcommand_from create attach detach sync label delete refresh rotate diagnose heal check explain status login logout logins completion help" -f -a "login" -d 'Store a registry login in the OS keyring, for `create --from-keyring`'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand help; and not __fish_seen_subcommand_from create attach detach sync label delete refresh rotate diagnose heal check explain status login logout logins completion help" -f -a "logout" -d 'Remove a registry login from the OS keyring'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand help; and not __fish_seen_subcommand_from create attach detach sync label delete refresh rotate diagnose heal check explain status login logout logins completion help" -f -a "logins" -d 'List the registry logins stored in the OS keyring (never their passwords)'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand help; and not __fish_seen_subcommand_from create attach detach sync label delete refresh rotate diagnose heal check explain status login logout logins completion help" -f -a "completion" -d 'Print a shell completion script for kubectl-regcred'
complete -c kubectl-regcred -n "__fish_kubectl_regcred_using_subcommand help; and not __fish_seen_subcommand_from create attach detach sync label delete refresh rotate diagnose heal check explain status login logout logins completion help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
