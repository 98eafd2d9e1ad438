using StashMount.Backends;
using StashMount.Backends.Local;

namespace StashMount.Mount.Cli;

/// <summary>
/// The one place a repository location (restic's syntax: a path, "local:path", "s3:...", ...) becomes an
/// <see cref="IBackend"/>. Cloud backends plug in here.
/// </summary>
public static class BackendResolver
{
    public static Task<IBackend> CreateAsync(string location, IReadOnlyDictionary<string, string> options, CliEnvironment environment, CancellationToken cancellationToken)
    {
        _ = environment;
        _ = cancellationToken;
        if (location.StartsWith("local:", StringComparison.Ordinal))
            return Task.FromResult<IBackend>(CreateLocal(location["local:".Length..], options));
        if (HasScheme(location))
            throw new UsageException($"unsupported repository location {location}");
        return Task.FromResult<IBackend>(CreateLocal(location, options));
    }

    private static LocalBackend CreateLocal(string path, IReadOnlyDictionary<string, string> options)
    {
        var connections = 8;
        if (options.TryGetValue("local.connections", out var text) && (!int.TryParse(text, out connections) || connections < 1))
            throw new UsageException($"local.connections must be a positive number, not {text}");
        return new LocalBackend(path, connections);
    }

    /// <summary>restic's backend prefixes look like "s3:" or "rest:"; a path never starts with letters then ':' here.</summary>
    private static bool HasScheme(string location)
    {
        var colon = location.IndexOf(':');
        if (colon <= 0) return false;
        foreach (var c in location.AsSpan(0, colon))
            if (!char.IsAsciiLetterOrDigit(c)) return false;
        return true;
    }
}
