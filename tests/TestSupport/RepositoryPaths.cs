namespace StashMount.TestSupport;

/// <summary>Locations of the built stashmount binary and the test fixtures, found from the test assembly.</summary>
public static class RepositoryPaths
{
    public static string SourceRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Mount.sln")))
                dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Mount.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The stashmount executable built in the same configuration as the tests.</summary>
    public static string StashMountBinary
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
            return Path.Combine(SourceRoot, "src", "Mount", "bin", configuration, "net10.0", "stashmount");
        }
    }

    public static string Fixtures => Path.Combine(SourceRoot, "tests", "Fixtures");
}
