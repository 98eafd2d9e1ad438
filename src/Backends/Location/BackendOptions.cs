namespace StashMount.Backends;

/// <summary>
/// Settings for opening a backend: restic's extended options (`-o s3.connections=8`, `-o s3.region=...`) plus the
/// TLS flags (`--cacert`, `--insecure-tls`) and the resilience knobs the decorators use.
/// </summary>
public sealed record BackendOptions
{
    public static readonly BackendOptions Default = new();

    /// <summary>restic's `-o name=value` options, keyed by the full name ("s3.connections").</summary>
    public IReadOnlyDictionary<string, string> Extended { get; init; } = new Dictionary<string, string>();

    /// <summary>PEM files of extra trusted CA certificates (restic's repeatable --cacert).</summary>
    public IReadOnlyList<string> CaCertFiles { get; init; } = [];

    /// <summary>Skip TLS certificate verification (restic's --insecure-tls).</summary>
    public bool InsecureTls { get; init; }

    /// <summary>Upper bound for one request (connect, send, receive headers and body).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long to wait for a TCP/TLS connection before calling the host unreachable.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Longest time for one operation with all its retries (listings get ten times as long).</summary>
    public TimeSpan RetryBudget { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The options with stashmount's own `-o timeout=DURATION` applied (e.g. 30s, 2m): one backend operation,
    /// retries included, gives up after that long. restic has no such option; it waits forever on a dead server.
    /// </summary>
    public BackendOptions WithTimeoutOption()
    {
        if (Get("timeout") is not { } text)
            return this;
        var timeout = ParseDuration(text);
        return this with { RequestTimeout = timeout, RetryBudget = timeout };
    }

    private static TimeSpan ParseDuration(string text)
    {
        var unit = text.TrimStart("0123456789.".ToCharArray());
        var number = text[..^unit.Length];
        var seconds = double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n) ? unit switch
        {
            "ms" => n / 1000,
            "" or "s" => n,
            "m" => n * 60,
            "h" => n * 3600,
            _ => -1,
        } : -1;
        if (seconds <= 0)
            throw new BackendException($"invalid option timeout={text}; expected a duration such as 30s, 2m or 1h");
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Retries after the first attempt for transient failures.</summary>
    public int MaxRetries { get; init; } = 6;

    /// <summary>First retry delay; later ones grow exponentially with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Parses `name=value` strings as given to `-o`.</summary>
    public static BackendOptions FromOptionStrings(IEnumerable<string> options, BackendOptions? baseOptions = null)
    {
        var extended = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in options)
        {
            var eq = option.IndexOf('=');
            if (eq <= 0)
                throw new BackendException($"invalid option \"{option}\"; expected -o backend.name=value");
            extended[option[..eq].Trim()] = option[(eq + 1)..].Trim();
        }
        return (baseOptions ?? Default) with { Extended = extended };
    }

    public string? Get(string name) => Extended.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    /// <summary>`&lt;scheme&gt;.connections`, or restic's default for the kind.</summary>
    public int ConnectionsFor(string scheme, int fallback)
    {
        var value = Get(scheme + ".connections");
        if (value is null)
            return fallback;
        if (!int.TryParse(value, out var n) || n < 1)
            throw new BackendException($"invalid option {scheme}.connections={value}; expected a positive number");
        return n;
    }
}
