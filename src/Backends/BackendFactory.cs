using StashMount.Backends.Azure;
using StashMount.Backends.B2;
using StashMount.Backends.Gcs;
using StashMount.Backends.Local;
using StashMount.Backends.Resilience;
using StashMount.Backends.Rest;
using StashMount.Backends.S3;
using StashMount.Backends.Swift;

namespace StashMount.Backends;

/// <summary>
/// Opens the backend a repository string names, wrapped in the resilience layers:
/// retry (outermost, so backoff waits hold no connection) → connection limit → per-request timeout → backend.
/// </summary>
public static class BackendFactory
{
    public static IBackend Create(string repository, ICredentialSource credentials, BackendOptions? options = null) =>
        Create(RepositoryLocation.Parse(repository), credentials, options);

    public static IBackend Create(RepositoryLocation location, ICredentialSource credentials, BackendOptions? options = null)
    {
        options = (options ?? BackendOptions.Default).WithTimeoutOption();
        var backend = CreateUndecorated(location, credentials, options);
        if (location.Kind == BackendKind.Local)
            return backend;
        return Decorate(backend, options);
    }

    public static IBackend Decorate(IBackend backend, BackendOptions options) =>
        new RetryingBackend(
            new ConnectionLimitingBackend(new TimeoutBackend(backend, options.RequestTimeout), backend.Connections),
            options.MaxRetries, options.RetryBaseDelay, options.RetryBudget);

    public static IBackend CreateUndecorated(RepositoryLocation location, ICredentialSource credentials, BackendOptions options) => location.Kind switch
    {
        BackendKind.Local => new LocalBackend(location.Path, options.ConnectionsFor("local", 8)),
        BackendKind.Rest => new RestBackend(location, credentials, options),
        BackendKind.S3 => new S3Backend(location, credentials, options),
        BackendKind.Azure => new AzureBackend(location, credentials, options),
        BackendKind.Gcs => new GcsBackend(location, credentials, options),
        BackendKind.B2 => new B2Backend(location, credentials, options),
        BackendKind.Swift => new SwiftBackend(location, credentials, options),
        _ => throw new BackendException($"{location}: the {location.Kind} backend is not supported"),
    };
}
