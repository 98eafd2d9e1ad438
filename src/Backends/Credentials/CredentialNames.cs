namespace StashMount.Backends;

/// <summary>
/// The environment variable names restic reads and Stash/KubeStash put in their storage Secrets; a Secret mounted
/// as a volume has one file per name.
/// </summary>
public static class CredentialNames
{
    public const string ResticPassword = "RESTIC_PASSWORD";
    public const string CaCertData = "CA_CERT_DATA";

    public const string AwsAccessKeyId = "AWS_ACCESS_KEY_ID";
    public const string AwsSecretAccessKey = "AWS_SECRET_ACCESS_KEY";
    public const string AwsSessionToken = "AWS_SESSION_TOKEN";
    public const string AwsDefaultRegion = "AWS_DEFAULT_REGION";
    public const string AwsRegion = "AWS_REGION";

    public const string GoogleProjectId = "GOOGLE_PROJECT_ID";
    public const string GoogleApplicationCredentials = "GOOGLE_APPLICATION_CREDENTIALS";
    public const string GoogleServiceAccountJsonKey = "GOOGLE_SERVICE_ACCOUNT_JSON_KEY";
    public const string GoogleAccessToken = "GOOGLE_ACCESS_TOKEN";
    public const string StorageEmulatorHost = "STORAGE_EMULATOR_HOST";

    public const string AzureAccountName = "AZURE_ACCOUNT_NAME";
    public const string AzureAccountKey = "AZURE_ACCOUNT_KEY";
    public const string AzureAccountSas = "AZURE_ACCOUNT_SAS";
    public const string AzureEndpointSuffix = "AZURE_ENDPOINT_SUFFIX";
    public const string AzureEndpoint = "AZURE_ENDPOINT";

    public const string RestServerUsername = "REST_SERVER_USERNAME";
    public const string RestServerPassword = "REST_SERVER_PASSWORD";

    public const string B2AccountId = "B2_ACCOUNT_ID";
    public const string B2AccountKey = "B2_ACCOUNT_KEY";
}
