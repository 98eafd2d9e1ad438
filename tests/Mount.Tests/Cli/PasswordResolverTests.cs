using StashMount.Mount.Cli;
using StashMount.TestSupport;

namespace StashMount.Mount.Tests.Cli;

public sealed class PasswordResolverTests
{
    private static CliEnvironment Env(Dictionary<string, string> process, Dictionary<string, string>? secrets = null) =>
        new(name => process.TryGetValue(name, out var v) ? v : null, secrets);

    [Fact]
    public async Task PasswordFileIsTrimmed()
    {
        using var temp = new TempDirectory();
        var file = temp.Combine("pw");
        await File.WriteAllTextAsync(file, "  s3cret \n");
        Assert.Equal("s3cret", await PasswordResolver.ResolveAsync(file, null, Env([]), default));
    }

    [Fact]
    public async Task EnvironmentPasswordFileWinsOverPassword()
    {
        using var temp = new TempDirectory();
        var file = temp.Combine("pw");
        await File.WriteAllTextAsync(file, "fromfile");
        var env = Env(new() { ["RESTIC_PASSWORD_FILE"] = file, ["RESTIC_PASSWORD"] = "plain" });
        Assert.Equal("fromfile", await PasswordResolver.ResolveAsync(null, null, env, default));
    }

    [Fact]
    public async Task PasswordCommandOutputIsUsed()
    {
        Assert.Equal("abc", await PasswordResolver.ResolveAsync(null, "printf 'abc\\n'", Env([]), default));
    }

    [Fact]
    public async Task SecretDirectoryOverridesProcessEnvironment()
    {
        using var temp = new TempDirectory();
        await File.WriteAllTextAsync(temp.Combine("RESTIC_PASSWORD"), "fromsecret\n");
        await File.WriteAllTextAsync(temp.Combine(".hidden"), "ignored");
        var secrets = await CliEnvironment.ReadSecretDirectoryAsync(temp.Path, default);
        Assert.False(secrets.ContainsKey(".hidden"));
        var env = Env(new() { ["RESTIC_PASSWORD"] = "fromprocess" }, new Dictionary<string, string>(secrets));
        Assert.Equal("fromsecret", await PasswordResolver.ResolveAsync(null, null, env, default));
    }

    [Fact]
    public async Task NoPasswordIsAUsageError()
    {
        await Assert.ThrowsAsync<UsageException>(() => PasswordResolver.ResolveAsync(null, null, Env([]), default));
    }
}
