using StashMount.TestSupport;

namespace StashMount.Backends.Tests.Location;

public sealed class CredentialSourceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void SecretDirectoryFilesAreReadByNameWithoutTrailingNewline()
    {
        File.WriteAllText(_dir.Combine(CredentialNames.AwsAccessKeyId), "AKIA\n");
        File.WriteAllText(_dir.Combine(CredentialNames.AwsSecretAccessKey), "secret");
        File.WriteAllText(_dir.Combine(CredentialNames.AwsSessionToken), "");
        var source = new SecretDirectoryCredentialSource(_dir.Path);
        Assert.Equal("AKIA", source.Get(CredentialNames.AwsAccessKeyId));
        Assert.Equal("secret", source.Get(CredentialNames.AwsSecretAccessKey));
        Assert.Null(source.Get(CredentialNames.AwsSessionToken));
        Assert.Null(source.Get(CredentialNames.AzureAccountKey));
    }

    [Fact]
    public void SecretDirectoryWinsOverTheNextSource()
    {
        File.WriteAllText(_dir.Combine(CredentialNames.AzureAccountName), "fromsecret");
        var fallback = new DictionaryCredentialSource(new Dictionary<string, string>
        {
            [CredentialNames.AzureAccountName] = "fromenv",
            [CredentialNames.AzureAccountKey] = "key",
        });
        var layered = new LayeredCredentialSource(new SecretDirectoryCredentialSource(_dir.Path), fallback);
        Assert.Equal("fromsecret", layered.Get(CredentialNames.AzureAccountName));
        Assert.Equal("key", layered.Get(CredentialNames.AzureAccountKey));
    }

    [Fact]
    public void MissingSecretDirectoryIsAClearError()
    {
        var error = Assert.Throws<BackendException>(() => new SecretDirectoryCredentialSource(_dir.Combine("nope")));
        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public void ExtendedOptionsAreParsed()
    {
        var options = BackendOptions.FromOptionStrings(["s3.connections=12", "s3.region = eu-west-1"]);
        Assert.Equal(12, options.ConnectionsFor("s3", 5));
        Assert.Equal(5, options.ConnectionsFor("gs", 5));
        Assert.Equal("eu-west-1", options.Get("s3.region"));
        Assert.Throws<BackendException>(() => BackendOptions.FromOptionStrings(["novalue"]));
        Assert.Throws<BackendException>(() => BackendOptions.FromOptionStrings(["s3.connections=0"]).ConnectionsFor("s3", 5));
    }
}
