using System.CommandLine;

namespace StashMount.Mount.Cli;

/// <summary>
/// The options every command accepts (restic's global flags). They are recursive, so they may stand before
/// or after the command name. Commands read them through <see cref="CommandContext"/>.
/// </summary>
public sealed class GlobalOptions
{
    public GlobalOptions(CliHost host) => Host = host;

    /// <summary>Where commands print and read the environment.</summary>
    public CliHost Host { get; }

    public Option<string?> Repository { get; } = new("--repo", "-r")
    {
        Description = "repository to read or write (default: $RESTIC_REPOSITORY)",
        Recursive = true,
    };

    public Option<string?> PasswordFile { get; } = new("--password-file", "-p")
    {
        Description = "file holding the repository password (default: $RESTIC_PASSWORD_FILE)",
        Recursive = true,
    };

    public Option<string?> PasswordCommand { get; } = new("--password-command")
    {
        Description = "shell command that prints the password (default: $RESTIC_PASSWORD_COMMAND)",
        Recursive = true,
    };

    public Option<string?> KeyHint { get; } = new("--key-hint")
    {
        Description = "key ID to try first (default: $RESTIC_KEY_HINT)",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "print JSON instead of text",
        Recursive = true,
    };

    public Option<bool> Debug { get; } = new("--debug")
    {
        Description = "show stack traces of errors",
        Recursive = true,
    };

    public Option<bool> NoLock { get; } = new("--no-lock")
    {
        Description = "do not lock the repository (read-only commands only)",
        Recursive = true,
    };

    public Option<string[]> BackendOptions { get; } = new("--option", "-o")
    {
        Description = "backend option key=value (repeatable)",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string?> SecretDirectory { get; } = new("--secret-dir")
    {
        Description = "folder of files named like environment variables (a mounted Stash/KubeStash Secret)",
        Recursive = true,
    };

    public Option<string[]> CaCert { get; } = new("--cacert")
    {
        Description = "PEM file of a CA certificate to trust for HTTPS backends (repeatable)",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<bool> InsecureTls { get; } = new("--insecure-tls")
    {
        Description = "skip TLS certificate verification for HTTPS backends (insecure)",
        Recursive = true,
    };

    /// <summary>--k8s-repository, --k8s-secret, --kubestash-repository and their kubeconfig options.</summary>
    public KubernetesOptions Kubernetes { get; } = new();

    public void AddTo(Command root)
    {
        root.Add(Repository);
        root.Add(PasswordFile);
        root.Add(PasswordCommand);
        root.Add(KeyHint);
        root.Add(Json);
        root.Add(Debug);
        root.Add(NoLock);
        root.Add(BackendOptions);
        root.Add(SecretDirectory);
        root.Add(CaCert);
        root.Add(InsecureTls);
        Kubernetes.AddTo(root);
    }
}
