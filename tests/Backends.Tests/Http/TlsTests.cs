using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StashMount.Backends.Rest;

namespace StashMount.Backends.Tests.Http;

/// <summary>An HTTPS server with a private CA: refused as a one-line TLS failure, accepted with CA_CERT_DATA or --insecure-tls.</summary>
public sealed class TlsTests : IAsyncLifetime
{
    private WebApplication? _app;
    private string _pem = "";
    private int _port;

    public async Task InitializeAsync()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _pem = certificate.ExportCertificatePem();
        var serverCertificate = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.UseHttps(serverCertificate)));
        _app = builder.Build();
        _app.Run(context => { context.Response.StatusCode = 404; return Task.CompletedTask; });
        await _app.StartAsync();
        _port = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
    }

    public async Task DisposeAsync()
    {
        if (_app != null)
            await _app.DisposeAsync();
    }

    private RestBackend Open(Dictionary<string, string> credentials, BackendOptions? options = null) =>
        new(RepositoryLocation.Parse($"rest:https://127.0.0.1:{_port}/repo"), new DictionaryCredentialSource(credentials), options ?? BackendOptions.Default);

    [Fact]
    public async Task UntrustedCertificateIsAOneLineTlsFailure()
    {
        await using var backend = Open([]);
        var error = await Assert.ThrowsAnyAsync<BackendException>(() => backend.StatAsync(FileHandle.Config));
        Assert.IsNotType<TransientBackendException>(error);
        Assert.Contains("TLS failure", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task CaCertDataMakesTheServerTrusted()
    {
        await using var backend = Open(new() { [CredentialNames.CaCertData] = _pem });
        await Assert.ThrowsAsync<BackendFileNotFoundException>(() => backend.StatAsync(FileHandle.Config));
    }

    [Fact]
    public async Task InsecureTlsSkipsVerification()
    {
        await using var backend = Open([], BackendOptions.Default with { InsecureTls = true });
        await Assert.ThrowsAsync<BackendFileNotFoundException>(() => backend.StatAsync(FileHandle.Config));
    }
}
