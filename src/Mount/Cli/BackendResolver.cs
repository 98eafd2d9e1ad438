using StashMount.Backends;

namespace StashMount.Mount.Cli;

/// <summary>
/// The one place a repository location (restic's syntax: a path, "local:path", "s3:...", ...) becomes an
/// <see cref="IBackend"/>: <see cref="BackendFactory"/> parses it and opens the decorated backend, with
/// credentials read through the command's environment (--secret-dir applied), `-o` options and the TLS flags
/// (--cacert, --insecure-tls; a Stash/KubeStash insecureTLS setting arrives as <paramref name="insecureTls"/>).
/// </summary>
public static class BackendResolver
{
    public static Task<IBackend> CreateAsync(string location, IReadOnlyDictionary<string, string> options, CliEnvironment environment, CancellationToken cancellationToken,
        IReadOnlyList<string>? caCertFiles = null, bool insecureTls = false)
    {
        _ = cancellationToken;
        var backendOptions = BackendOptions.Default with { Extended = options, CaCertFiles = caCertFiles ?? [], InsecureTls = insecureTls };
        return Task.FromResult(BackendFactory.Create(location, new DelegateCredentialSource(environment.Get), backendOptions));
    }
}
