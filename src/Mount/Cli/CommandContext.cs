using System.CommandLine;
using System.Text;
using StashMount.Backends;
using StashMount.Repository;

namespace StashMount.Mount.Cli;

/// <summary>
/// One command run: the resolved global options, the environment (with --secret-dir applied), the output
/// streams and the repository once opened. Disposed when the command ends, which closes the repository.
/// </summary>
public sealed class CommandContext : IAsyncDisposable
{
    private ResticRepository? _repository;
    private StreamWriter? _output;

    private CommandContext(ParseResult parseResult, GlobalOptions globals, CliEnvironment environment, IReadOnlyDictionary<string, string> backendOptions)
    {
        ParseResult = parseResult;
        Globals = globals;
        Environment = environment;
        BackendOptions = backendOptions;
    }

    public ParseResult ParseResult { get; }

    public GlobalOptions Globals { get; }

    public CliHost Host => Globals.Host;

    public CliEnvironment Environment { get; }

    /// <summary>The -o key=value backend options.</summary>
    public IReadOnlyDictionary<string, string> BackendOptions { get; }

    public bool Json => ParseResult.GetValue(Globals.Json);

    public bool Debug => ParseResult.GetValue(Globals.Debug);

    public bool NoLock => ParseResult.GetValue(Globals.NoLock);

    /// <summary>Text on standard output, UTF-8 without BOM, '\n' line ends.</summary>
    public TextWriter Output => _output ??= new StreamWriter(Host.StandardOutput, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\n" };

    /// <summary>Raw standard output, for commands that print bytes (dump). Flushes any pending text first.</summary>
    public Stream BinaryOutput
    {
        get
        {
            _output?.Flush();
            return Host.StandardOutput;
        }
    }

    public TextWriter Error => Host.StandardError;

    /// <summary>Value of an option or argument of the running command.</summary>
    public T? Get<T>(Option<T> option) => ParseResult.GetValue(option);

    public T? Get<T>(Argument<T> argument) => ParseResult.GetValue(argument);

    public static async Task<CommandContext> CreateAsync(ParseResult parseResult, GlobalOptions globals, CancellationToken cancellationToken)
    {
        var secretDirectory = parseResult.GetValue(globals.SecretDirectory);
        var secrets = secretDirectory is null ? null : await CliEnvironment.ReadSecretDirectoryAsync(secretDirectory, cancellationToken).ConfigureAwait(false);
        var kubernetes = await globals.Kubernetes.ResolveAsync(parseResult, globals.Host.Environment, cancellationToken).ConfigureAwait(false);
        var kubernetesRepository = kubernetes is { Repository.Length: > 0 } ? kubernetes.Repository : null;
        if (kubernetesRepository is not null && parseResult.GetValue(globals.Repository) is not null)
            throw new UsageException("give either -r/--repo or --k8s-repository/--kubestash-repository, not both");
        var environment = new CliEnvironment(globals.Host.Environment, KubernetesOptions.Layer(kubernetes, secrets));
        var backendOptions = KubernetesOptions.WithConnections(kubernetes, ParseBackendOptions(parseResult.GetValue(globals.BackendOptions)));
        return new CommandContext(parseResult, globals, environment, backendOptions) { Kubernetes = kubernetes, _kubernetesRepository = kubernetesRepository };
    }

    /// <summary>The repository string resolved from a Stash or KubeStash object, if one was named.</summary>
    private string? _kubernetesRepository;

    /// <summary>What --k8s-repository, --kubestash-repository or --k8s-secret resolved to (InsecureTls for backends), if given.</summary>
    public StashMount.Backends.Kubernetes.ResolvedRepository? Kubernetes { get; private init; }

    /// <summary>The repository location from -r or RESTIC_REPOSITORY.</summary>
    public string RepositoryLocation =>
        ParseResult.GetValue(Globals.Repository) ?? _kubernetesRepository ?? Environment.Get("RESTIC_REPOSITORY")
        ?? throw new UsageException("no repository given: use -r/--repo or RESTIC_REPOSITORY");

    public Task<IBackend> OpenBackendAsync(CancellationToken cancellationToken) =>
        BackendResolver.CreateAsync(RepositoryLocation, BackendOptions, Environment, cancellationToken,
            ParseResult.GetValue(Globals.CaCert) ?? [], ParseResult.GetValue(Globals.InsecureTls) || Kubernetes?.InsecureTls == true);

    /// <summary>Wraps the backend before the repository is opened on it (the mount's disk cache).</summary>
    public Func<IBackend, IBackend>? BackendDecorator { get; set; }

    /// <summary>Opens the repository with the resolved password (and loads the index when asked); closed with this context.</summary>
    public async Task<ResticRepository> OpenRepositoryAsync(bool loadIndex, CancellationToken cancellationToken)
    {
        if (_repository is null)
        {
            var password = await PasswordResolver.ResolveAsync(ParseResult.GetValue(Globals.PasswordFile), ParseResult.GetValue(Globals.PasswordCommand),
                Environment, cancellationToken).ConfigureAwait(false);
            var backend = await OpenBackendAsync(cancellationToken).ConfigureAwait(false);
            if (BackendDecorator is { } decorate)
                backend = decorate(backend);
            try
            {
                var keyHint = ParseResult.GetValue(Globals.KeyHint) ?? Environment.Get("RESTIC_KEY_HINT");
                _repository = await ResticRepository.OpenAsync(backend, password, keyHint, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await backend.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        if (loadIndex)
            await _repository.LoadIndexAsync(cancellationToken).ConfigureAwait(false);
        return _repository;
    }

    private static Dictionary<string, string> ParseBackendOptions(string[]? options)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in options ?? [])
        {
            var eq = option.IndexOf('=');
            if (eq <= 0)
                throw new UsageException($"invalid option {option}: expected key=value");
            result[option[..eq]] = option[(eq + 1)..];
        }
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        if (_output != null)
            await _output.FlushAsync().ConfigureAwait(false);
        if (_repository != null)
            await _repository.DisposeAsync().ConfigureAwait(false);
    }
}
