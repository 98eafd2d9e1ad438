using System.Runtime;
using System.Runtime.InteropServices;

namespace StashMount.Mount.Cli;

/// <summary>What the managed runtime holds, for the statistics line: tells GC heap growth apart from native buffers.</summary>
internal static partial class RuntimeMemory
{
    /// <summary>
    /// Gives back what starting up left behind (parsed index and snapshot JSON, key derivation, JIT scratch in malloc
    /// arenas) before a long-running daemon starts serving: the GC otherwise keeps those pages committed, and they
    /// count in its RSS for as long as it runs.
    /// </summary>
    public static void TrimAfterStartup()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _ = malloc_trim(0);
    }

    [LibraryImport("libc")]
    private static partial int malloc_trim(nuint pad);

    public static string Describe()
    {
        var info = GC.GetGCMemoryInfo();
        return $"gc heap {info.HeapSizeBytes >> 20} MiB, committed {info.TotalCommittedBytes >> 20} MiB, "
            + $"allocated {GC.GetTotalAllocatedBytes() >> 20} MiB, collections {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}";
    }
}
