using StashMount.TestSupport;

namespace StashMount.Mount.Tests.Cli;

public sealed class CommandLineTests
{
    [Fact]
    public async Task UnknownFlagIsOneLineUsageErrorWithExitCode1()
    {
        var result = await InProcessCli.RunAsync(null, "snapshots", "--no-such-flag");
        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
        Assert.Contains("--no-such-flag", result.Error);
    }

    [Fact]
    public async Task MissingRepositoryIsOneLine()
    {
        var result = await InProcessCli.RunAsync(new Dictionary<string, string> { ["RESTIC_PASSWORD"] = "x" }, "snapshots");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Fatal: no repository given: use -r/--repo or RESTIC_REPOSITORY\n", result.Error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task MissingPasswordIsOneLine()
    {
        using var temp = new TempDirectory();
        var result = await InProcessCli.RunAsync(null, "-r", temp.Path, "snapshots");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Fatal: no password given", result.Error);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task GlobalOptionsMayFollowTheCommand()
    {
        var result = await InProcessCli.RunAsync(null, "snapshots", "-o", "novalue", "-r", "/nonexistent");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("invalid option novalue", result.Error);
    }

    [Fact]
    public async Task PasswordFileAndCommandTogetherAreRefused()
    {
        using var temp = new TempDirectory();
        var file = temp.Combine("pw");
        await File.WriteAllTextAsync(file, "secret\n");
        var result = await InProcessCli.RunAsync(null, "-r", temp.Path, "--password-file", file, "--password-command", "echo x", "snapshots");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not both", result.Error);
    }

    [Fact]
    public async Task UnsupportedBackendSchemeIsOneLine()
    {
        var result = await InProcessCli.RunAsync(new Dictionary<string, string> { ["RESTIC_PASSWORD"] = "x" }, "-r", "nosuch:bucket/x", "snapshots");
        Assert.Equal(1, result.ExitCode);
        var error = result.Error.ReplaceLineEndings("\n");
        Assert.StartsWith("Fatal: invalid repository: unknown backend \"nosuch\"", error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }
}
