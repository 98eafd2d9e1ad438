using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using StashMount.Backends;
using StashMount.Backends.Caching;
using StashMount.Mount.Cli;

namespace StashMount.Mount.Commands;

/// <summary>
/// The mount's <c>--cache-dir</c> and <c>--disk-cache-size</c>: index, snapshot and tree data and recently read
/// pack ranges kept on local disk, so a remount does not fetch them again. On by default for remote storage
/// (a repository on a local path gains nothing from a second local copy); an explicit --cache-dir turns it on
/// for any repository; a size of 0 turns it off.
/// </summary>
internal sealed class DiskCacheOptions
{
    private readonly Option<string?> _directory = new("--cache-dir") { Description = "disk cache folder (default: $XDG_CACHE_HOME/stashmount/<repository hash>; remote repositories only)" };
    private readonly Option<string> _size = new("--disk-cache-size") { Description = "disk cache budget, least recently used trimmed first (0 = no disk cache)", DefaultValueFactory = _ => "2G" };

    /// <summary>The cache in use once <see cref="Apply"/> decided on one.</summary>
    public DiskCachingBackend? Active { get; private set; }

    public void AddTo(Command command)
    {
        command.Add(_directory);
        command.Add(_size);
    }

    /// <summary>Arranges for the repository's backend to be wrapped by the disk cache (when one applies).</summary>
    public void Apply(CommandContext context, Action<string> log)
    {
        var budget = MountSizes.ParseBytes(context.Get(_size)!, "--disk-cache-size");
        var explicitDirectory = context.Get(_directory);
        var location = context.RepositoryLocation;
        var remote = !Path.IsPathRooted(location) && !location.StartsWith("local:", StringComparison.Ordinal);
        if (budget <= 0 || (explicitDirectory is null && !remote))
            return;
        var directory = explicitDirectory ?? DefaultDirectory(location, context.Environment.Get);
        context.BackendDecorator = backend =>
        {
            try
            {
                return Active = new DiskCachingBackend(backend, new DiskCache(directory, budget), cachePackRanges: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log($"warning: no disk cache ({e.Message})");
                return backend;
            }
        };
    }

    /// <summary><c>$XDG_CACHE_HOME/stashmount/&lt;first 16 hex digits of SHA-256(location)&gt;</c>, or under <c>~/.cache</c>.</summary>
    public static string DefaultDirectory(string location, Func<string, string?> environment)
    {
        var cache = environment("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(cache))
            cache = Path.Join(environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(location)))[..16];
        return Path.Join(cache, "stashmount", hash);
    }

    public string Statistics() => Active is { } c ? $"; disk cache {c.Hits} hits, {c.Cache.Bytes >> 20} MiB held" : "";
}
