namespace StashMount.Backends.Tests.Location;

public sealed class RepositoryLocationTests
{
    [Theory]
    [InlineData("/srv/repo", "/srv/repo")]
    [InlineData("local:/srv/repo", "/srv/repo")]
    [InlineData("local:relative/repo", "relative/repo")]
    [InlineData("../repo", "../repo")]
    [InlineData("repo", "repo")]
    public void LocalPaths(string input, string path)
    {
        var location = RepositoryLocation.Parse(input);
        Assert.Equal(BackendKind.Local, location.Kind);
        Assert.Equal(path, location.Path);
    }

    [Theory]
    [InlineData("rest:http://127.0.0.1:8000/repo", "http://127.0.0.1:8000/repo/")]
    [InlineData("rest:https://user:pass@host:8000/a/b/", "https://user:pass@host:8000/a/b/")]
    [InlineData("rest:http://host:8000", "http://host:8000/")]
    public void RestUrlsGetATrailingSlash(string input, string endpoint)
    {
        var location = RepositoryLocation.Parse(input);
        Assert.Equal(BackendKind.Rest, location.Kind);
        Assert.Equal(endpoint, location.Endpoint);
    }

    [Fact]
    public void RestPasswordIsNeverShown()
    {
        var location = RepositoryLocation.Parse("rest:https://alice:s3cr3t@host:8000/repo");
        Assert.DoesNotContain("s3cr3t", location.ToString());
        Assert.Contains("alice", location.ToString());
    }

    [Theory]
    [InlineData("s3:https://minio.svc:9000/bucket/some/prefix", "minio.svc:9000", false, "bucket", "some/prefix")]
    [InlineData("s3:http://127.0.0.1:9000/bucket", "127.0.0.1:9000", true, "bucket", "")]
    [InlineData("s3:https://minio.svc/bucket/a//b/", "minio.svc", false, "bucket", "a/b")]
    [InlineData("s3:s3.amazonaws.com/bucket/prefix", "s3.amazonaws.com", false, "bucket", "prefix")]
    [InlineData("s3:s3.eu-west-1.amazonaws.com/bucket", "s3.eu-west-1.amazonaws.com", false, "bucket", "")]
    [InlineData("s3://s3.amazonaws.com/bucket/deep/prefix", "s3.amazonaws.com", false, "bucket", "deep/prefix")]
    [InlineData("s3:minio.local:9000/bucket/p", "minio.local:9000", false, "bucket", "p")]
    public void S3(string input, string endpoint, bool useHttp, string bucket, string prefix)
    {
        var location = RepositoryLocation.Parse(input);
        Assert.Equal(new RepositoryLocation { Kind = BackendKind.S3, Endpoint = endpoint, UseHttp = useHttp, Bucket = bucket, Prefix = prefix }, location);
    }

    [Theory]
    [InlineData("gs:bucket:/prefix/x", BackendKind.Gcs, "bucket", "prefix/x")]
    [InlineData("gs:bucket:prefix", BackendKind.Gcs, "bucket", "prefix")]
    [InlineData("gs:bucket:/", BackendKind.Gcs, "bucket", "")]
    [InlineData("azure:container:/backup/demo", BackendKind.Azure, "container", "backup/demo")]
    [InlineData("azure:container:/", BackendKind.Azure, "container", "")]
    [InlineData("b2:bucket:/prefix", BackendKind.B2, "bucket", "prefix")]
    [InlineData("b2:bucket", BackendKind.B2, "bucket", "")]
    [InlineData("swift:container:/prefix", BackendKind.Swift, "container", "prefix")]
    public void BucketAndPrefixForms(string input, BackendKind kind, string bucket, string prefix)
    {
        var location = RepositoryLocation.Parse(input);
        Assert.Equal(kind, location.Kind);
        Assert.Equal(bucket, location.Bucket);
        Assert.Equal(prefix, location.Prefix);
    }

    [Theory]
    [InlineData("", "expected")]
    [InlineData("gs:bucket", "gs:bucket:/prefix")]
    [InlineData("azure:container", "azure:container:/prefix")]
    [InlineData("s3:https://host:9000", "s3:https://host[:port]/bucket/prefix")]
    [InlineData("s3:host", "bucket name not found")]
    [InlineData("s3:", "s3:")]
    [InlineData("swift:container:prefix", "swift:container:/prefix")]
    [InlineData("swift:container", "swift:container:/prefix")]
    [InlineData("rest:ftp://host/", "rest:http(s)://")]
    [InlineData("rest:", "rest:http(s)://")]
    [InlineData("bogus:thing", "local:")]
    [InlineData("sftp:host:/x", "not supported")]
    public void MalformedStringsGiveOneLineNamingTheForm(string input, string expected)
    {
        var error = Assert.Throws<BackendException>(() => RepositoryLocation.Parse(input));
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void MalformedRestStringDoesNotEchoThePassword()
    {
        var error = Assert.Throws<BackendException>(() => RepositoryLocation.Parse("rest:ftp://bob:hunter2@host/"));
        Assert.DoesNotContain("hunter2", error.Message);
    }
}
