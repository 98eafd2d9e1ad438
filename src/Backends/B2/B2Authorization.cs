namespace StashMount.Backends.B2;

/// <summary>What b2_authorize_account returned: the token for API and download calls and where to send them.</summary>
internal sealed record B2Authorization(
    string AccountId,
    string Token,
    string ApiUrl,
    string DownloadUrl,
    string? AllowedBucketId,
    string? AllowedBucketName);
