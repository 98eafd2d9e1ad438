namespace StashMount.TestSupport;

/// <summary>Runs the built stashmount binary against one repository with a password in the environment.</summary>
public sealed class StashMountCli
{
    public StashMountCli(string repository, string password = ResticCli.Password)
    {
        Repository = repository;
        Password = password;
    }

    public string Repository { get; }

    public string Password { get; }

    public Dictionary<string, string?> Environment() => new()
    {
        ["RESTIC_REPOSITORY"] = Repository,
        ["RESTIC_PASSWORD"] = Password,
        ["RESTIC_PASSWORD_FILE"] = null,
        ["RESTIC_PASSWORD_COMMAND"] = null,
    };

    public Task<ProcessResult> RunAsync(params string[] arguments) => RunAsync(arguments, null);

    public Task<ProcessResult> RunAsync(string[] arguments, IDictionary<string, string?>? extraEnvironment, TimeSpan? timeout = null)
    {
        var env = Environment();
        if (extraEnvironment != null)
            foreach (var (k, v) in extraEnvironment) env[k] = v;
        return ProcessRunner.RunAsync(RepositoryPaths.StashMountBinary, arguments, env, timeout: timeout ?? TimeSpan.FromMinutes(5));
    }
}
