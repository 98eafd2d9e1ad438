using Google.Apis.Auth.OAuth2;

namespace StashMount.Backends.Gcs;

/// <summary>
/// OAuth access tokens for the GCS JSON API via Google.Apis.Auth: a service-account key given inline
/// (GOOGLE_SERVICE_ACCOUNT_JSON_KEY, Stash's Secret key) or as a file (GOOGLE_APPLICATION_CREDENTIALS), else
/// application default credentials (workload identity, metadata server). GOOGLE_ACCESS_TOKEN short-circuits
/// it all, as restic allows. The library caches and refreshes tokens.
/// </summary>
internal sealed class GcsTokenSource
{
    private const string Scope = "https://www.googleapis.com/auth/devstorage.read_write";

    private readonly Lazy<Task<ITokenAccess>> _access;

    public GcsTokenSource(ICredentialSource credentials, string location)
    {
        _access = new Lazy<Task<ITokenAccess>>(() => CreateAsync(credentials, location));
    }

    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        var access = await _access.Value.ConfigureAwait(false);
        return await access.GetAccessTokenForRequestAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static async Task<ITokenAccess> CreateAsync(ICredentialSource credentials, string location)
    {
        if (credentials.Get(CredentialNames.GoogleAccessToken) is { } token)
            return GoogleCredential.FromAccessToken(token);
        var json = credentials.Get(CredentialNames.GoogleServiceAccountJsonKey);
        if (json is null && credentials.Get(CredentialNames.GoogleApplicationCredentials) is { } file)
        {
            try
            {
                json = await File.ReadAllTextAsync(file).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new BackendException($"{location}: cannot read {CredentialNames.GoogleApplicationCredentials} ({e.GetType().Name})");
            }
        }
        try
        {
            if (json is null)
                return (await GoogleCredential.GetApplicationDefaultAsync().ConfigureAwait(false)).CreateScoped(Scope);
            var account = CredentialFactory.FromJson<ServiceAccountCredential>(json);
            return GoogleCredential.FromServiceAccountCredential(account).CreateScoped(Scope);
        }
        catch (Exception e) when (e is InvalidOperationException or System.Text.Json.JsonException or Newtonsoft.Json.JsonException or ArgumentException or FormatException)
        {
            // The library's messages can quote the key material: name the problem, not the content.
            throw new BackendException($"{location}: no usable Google credentials ({e.GetType().Name}); set {CredentialNames.GoogleServiceAccountJsonKey} or {CredentialNames.GoogleApplicationCredentials} to a service-account key");
        }
    }
}
