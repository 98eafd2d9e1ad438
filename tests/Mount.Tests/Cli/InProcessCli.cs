using System.Text;
using StashMount.Mount.Cli;

namespace StashMount.Mount.Tests.Cli;

/// <summary>Runs a stashmount command line in this process with captured output and a given environment.</summary>
internal static class InProcessCli
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var output = new MemoryStream();
        var error = new StringWriter();
        var env = environment ?? new Dictionary<string, string>();
        var host = new CliHost(output, error, name => env.TryGetValue(name, out var v) ? v : null);
        var code = await StashMountCommand.RunAsync(args, host, CancellationToken.None);
        return new Result(code, Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }
}
