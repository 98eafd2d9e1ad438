using StashMount.Backends.Kubernetes;
using StashMount.TestSupport.Kubernetes;

namespace StashMount.Backends.Tests.Kubernetes;

/// <summary>Stash v1 Repository objects for every provider become restic's repository string and Stash's env-named keys.</summary>
[Collection("Kubernetes API")]
public sealed class StashRepositoryResolverTests : FakeApiServerTest
{
    private async Task<ResolvedRepository> ResolveAsync(string backendJson, params string[] secretKeys)
    {
        KubernetesObjects.AddStashRepository(Server, "demo", "repo", backendJson);
        var data = secretKeys.ToDictionary(k => k, k => "value-of-" + k);
        data["RESTIC_PASSWORD"] = "pw";
        data["not-an-env-name.txt"] = "ignored";
        Server.AddSecret("demo", "storage", data);
        using var client = Client();
        return await new StashRepositoryResolver(client).ResolveAsync(KubernetesObjectName.Parse("demo/repo"));
    }

    [Theory]
    [InlineData("""{"s3":{"endpoint":"s3.amazonaws.com","bucket":"stash-demo","prefix":"/backup/demo/sts"}}""", "s3:s3.amazonaws.com/stash-demo/backup/demo/sts", "AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY")]
    [InlineData("""{"s3":{"endpoint":"https://minio.storage.svc:9000/","bucket":"b","prefix":"a//b/"}}""", "s3:https://minio.storage.svc:9000/b/a/b", "AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY,CA_CERT_DATA")]
    [InlineData("""{"gcs":{"bucket":"stash-qa","prefix":"/demo"}}""", "gs:stash-qa:/demo", "GOOGLE_PROJECT_ID,GOOGLE_SERVICE_ACCOUNT_JSON_KEY")]
    [InlineData("""{"azure":{"container":"stashqa","prefix":"demo/x"}}""", "azure:stashqa:/demo/x", "AZURE_ACCOUNT_NAME,AZURE_ACCOUNT_KEY")]
    [InlineData("""{"swift":{"container":"stash-backup","prefix":"/demo"}}""", "swift:stash-backup:/demo", "OS_AUTH_URL,OS_USERNAME,OS_PASSWORD,OS_TENANT_NAME,OS_REGION_NAME")]
    [InlineData("""{"b2":{"bucket":"stash-demo","prefix":"/demo/deploy"}}""", "b2:stash-demo:/demo/deploy", "B2_ACCOUNT_ID,B2_ACCOUNT_KEY")]
    [InlineData("""{"rest":{"url":"http://rest-server.demo.svc:8000/stash-backup-demo"}}""", "rest:http://rest-server.demo.svc:8000/stash-backup-demo", "REST_SERVER_USERNAME,REST_SERVER_PASSWORD")]
    [InlineData("""{"local":{"mountPath":"/safe/data","nfs":{"server":"nfs.svc","path":"/"}}}""", "/safe/data", "")]
    [InlineData("""{"local":{"mountPath":"/stashmount-test-not-here/data","subPath":"demo","hostPath":{"path":"/var/stash"}}}""", "/var/stash/demo", "")]
    public async Task EveryProviderResolves(string provider, string expectedRepository, string keys)
    {
        var secretKeys = keys.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var backend = provider[..^1] + ""","storageSecretName":"storage"}""";
        var resolved = await ResolveAsync(backend, secretKeys);
        Assert.Equal(expectedRepository, resolved.Repository);
        Assert.Equal("pw", resolved.Credentials["RESTIC_PASSWORD"]);
        foreach (var key in secretKeys)
            Assert.Equal("value-of-" + key, resolved.Credentials[key]);
        Assert.DoesNotContain("not-an-env-name.txt", resolved.Credentials.Keys);
        Assert.Equal("Stash Repository demo/repo", resolved.Source);
    }

    [Fact]
    public async Task S3RegionAndInsecureTlsAreCarried()
    {
        var resolved = await ResolveAsync("""
            {"s3":{"endpoint":"https://minio:9000","bucket":"b","region":"eu-central-1","insecureTLS":true},"storageSecretName":"storage"}
            """, "AWS_ACCESS_KEY_ID");
        Assert.Equal("s3:https://minio:9000/b", resolved.Repository);
        Assert.Equal("eu-central-1", resolved.Credentials["AWS_DEFAULT_REGION"]);
        Assert.True(resolved.InsecureTls);
    }

    [Fact]
    public async Task MaxConnectionsIsCarriedForGcs()
    {
        var resolved = await ResolveAsync("""{"gcs":{"bucket":"b","prefix":"p","maxConnections":3},"storageSecretName":"storage"}""");
        Assert.Equal(3, resolved.Connections);
    }

    [Fact]
    public async Task B2WithoutItsKeysNamesTheMissingKey()
    {
        var error = await Assert.ThrowsAsync<KubernetesApiException>(() =>
            ResolveAsync("""{"b2":{"bucket":"b"},"storageSecretName":"storage"}""", "B2_ACCOUNT_ID"));
        Assert.Contains("has no key B2_ACCOUNT_KEY", error.Message);
    }

    [Fact]
    public async Task MissingRequiredFieldIsNamed()
    {
        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => ResolveAsync("""{"s3":{"bucket":"b"},"storageSecretName":"storage"}"""));
        Assert.Contains("spec.backend.s3.endpoint", error.Message);
    }

    [Fact]
    public void ObjectNamesParse()
    {
        Assert.Equal(new KubernetesObjectName("demo", "repo"), KubernetesObjectName.Parse("demo/repo"));
        Assert.Equal(new KubernetesObjectName("ns", "repo"), KubernetesObjectName.Parse("repo", "ns"));
        Assert.Throws<ArgumentException>(() => KubernetesObjectName.Parse("a/b/c"));
        Assert.Throws<ArgumentException>(() => KubernetesObjectName.Parse("/b"));
    }
}
