namespace StashMount.Mount.Cli;

/// <summary>What the managed runtime holds, for the statistics line: tells GC heap growth apart from native buffers.</summary>
internal static class RuntimeMemory
{
    public static string Describe()
    {
        var info = GC.GetGCMemoryInfo();
        return $"gc heap {info.HeapSizeBytes >> 20} MiB, committed {info.TotalCommittedBytes >> 20} MiB, "
            + $"allocated {GC.GetTotalAllocatedBytes() >> 20} MiB, collections {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}";
    }
}
