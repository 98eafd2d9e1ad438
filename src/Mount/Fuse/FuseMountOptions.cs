namespace StashMount.Mount.Fuse;

/// <summary>How the filesystem is mounted.</summary>
public sealed record FuseMountOptions
{
    public string FileSystemName { get; init; } = "stashmount";
    public string Subtype { get; init; } = "stashmount";
    /// <summary>Mount "ro" unless the filesystem has a writable part (<see cref="FuseFileSystem.IsWritable"/>), which then answers EROFS itself.</summary>
    public bool ReadOnly { get; init; } = true;
    /// <summary>Let other users than the mounting one in (needs user_allow_other in /etc/fuse.conf for non-root).</summary>
    public bool AllowOther { get; init; }
    /// <summary>Let the kernel check permissions from the mode bits.</summary>
    public bool DefaultPermissions { get; init; }
    /// <summary>Most threads serving requests at once: one serves them all, more only while every serving one is stuck in a callback (FuseRequestLoop).</summary>
    public int MaxThreads { get; init; } = 16;
    /// <summary>Kernel readahead for the mount (bdi read_ahead_kb, root only); FUSE requests are capped at 1 MiB anyway.</summary>
    public int ReadAheadKilobytes { get; init; } = 1024;
    /// <summary>Asynchronous requests (readahead) the kernel keeps in flight.</summary>
    public int MaxBackground { get; init; } = 64;
    /// <summary>Where diagnostics go (libfuse's own messages and unexpected callback failures).</summary>
    public Action<string> Log { get; init; } = message => Console.Error.WriteLine("stashmount: " + message);
}
