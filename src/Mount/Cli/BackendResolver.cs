using StashMount.Backends;

namespace StashMount.Mount.Cli;

/// <summary>
/// The one place a repository location (restic's syntax: a path, "local:path", "s3:...", ...) becomes an
/// <see cref="IBackend"/>: <see cref="BackendFactory"/> parses it and opens the decorated backend, with
/// credentials read through the command's environment (--secret-dir applied) and `-o` options.
/// </summary>
public static class BackendResolver
{
    public static Task<IBackend> CreateAsync(string location, IReadOnlyDictionary<string, string> options, CliEnvironment environment, CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        var backendOptions = BackendOptions.Default with { Extended = options };
        return Task.FromResult(BackendFactory.Create(location, new DelegateCredentialSource(environment.Get), backendOptions));
    }
}
