namespace StashMount.TestSupport;

/// <summary>Drives the real restic binary (Debian's restic 0.14) against a repository, as the oracle in tests.</summary>
public sealed class ResticCli
{
    public const string Password = "geheim";

    public ResticCli(string repository, string password = Password)
    {
        Repository = repository;
        PasswordValue = password;
    }

    public string Repository { get; }

    public string PasswordValue { get; }

    public Dictionary<string, string?> Environment() => new()
    {
        ["RESTIC_REPOSITORY"] = Repository,
        ["RESTIC_PASSWORD"] = PasswordValue,
        ["RESTIC_PASSWORD_FILE"] = null,
        ["RESTIC_CACHE_DIR"] = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "stashmount-test-restic-cache"),
        ["RESTIC_PROGRESS_FPS"] = null,
    };

    public Task<ProcessResult> RunAsync(params string[] arguments) => RunAsync(arguments, null);

    public Task<ProcessResult> RunAsync(string[] arguments, IDictionary<string, string?>? extraEnvironment, TimeSpan? timeout = null)
    {
        var env = Environment();
        if (extraEnvironment != null)
            foreach (var (k, v) in extraEnvironment) env[k] = v;
        return ProcessRunner.RunAsync("restic", ["--no-cache", .. arguments], env, timeout: timeout);
    }

    public async Task InitAsync(int version = 2) =>
        (await RunAsync("init", "--repository-version", version.ToString())).EnsureSuccess("restic init");

    /// <summary>The full 64-digit ID of a snapshot (restic 0.14's backup summary prints only the short one).</summary>
    public async Task<string> FullSnapshotIdAsync(string idOrPrefix)
    {
        var result = (await RunAsync("snapshots", "--json")).EnsureSuccess("restic snapshots");
        using var doc = System.Text.Json.JsonDocument.Parse(result.StandardOutput);
        foreach (var snapshot in doc.RootElement.EnumerateArray())
        {
            var id = snapshot.GetProperty("id").GetString()!;
            if (id.StartsWith(idOrPrefix, StringComparison.Ordinal))
                return id;
        }
        throw new InvalidOperationException($"restic lists no snapshot {idOrPrefix}");
    }

    /// <summary>Backs up <paramref name="paths"/> from <paramref name="workingDirectory"/>; returns the snapshot ID as restic prints it (short in 0.14; see <see cref="FullSnapshotIdAsync"/>).</summary>
    public async Task<string> BackupAsync(string workingDirectory, string[] paths, params string[] extra)
    {
        var env = Environment();
        var result = await ProcessRunner.RunAsync("restic", ["--no-cache", "backup", "--json", .. extra, .. paths], env, workingDirectory);
        result.EnsureSuccess("restic backup");
        foreach (var line in result.StandardOutput.Split('\n'))
            if (line.Contains("\"summary\"", StringComparison.Ordinal))
            {
                using var doc = System.Text.Json.JsonDocument.Parse(line);
                return doc.RootElement.GetProperty("snapshot_id").GetString()!;
            }
        throw new InvalidOperationException("restic backup printed no summary: " + result.StandardOutput);
    }
}
