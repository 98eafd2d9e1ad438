namespace StashMount.TestSupport;

/// <summary>Helpers for tests that mount: is a path mounted, wait for it, and force-unmount on cleanup.</summary>
public static class FuseMounts
{
    public static bool IsMounted(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            var fields = line.Split(' ');
            if (fields.Length > 4 && fields[4].Replace("\\040", " ") == full)
                return true;
        }
        return false;
    }

    /// <summary>Polls until <paramref name="condition"/> holds; false when the (generous) deadline passes.</summary>
    public static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (condition()) return true;
            await Task.Delay(50);
        }
        return condition();
    }

    /// <summary>Lazily unmounts whatever is still mounted at <paramref name="path"/>; never throws.</summary>
    public static void ForceUnmount(string path)
    {
        try
        {
            if (IsMounted(path))
                ProcessRunner.RunAsync("fusermount3", ["-u", "-z", path], timeout: TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
        }
    }
}
