using System.Formats.Tar;
using System.IO.Compression;

namespace StashMount.TestSupport;

/// <summary>Unpacks the repository archives of tests/Fixtures into a test's temp directory.</summary>
public static class FixtureArchive
{
    /// <summary>restic 0.14 v2 repository, password "geheim"; one snapshot (host "fixture", tag "fx"), two packs, one index.</summary>
    public const string ResticV2Geheim = "restic-0.14-v2-repo-geheim.tar.gz";

    /// <summary>Extracts <paramref name="archive"/> below <paramref name="destination"/>; returns the path of the repository in it ("repo/").</summary>
    public static string ExtractRepository(string destination, string archive = ResticV2Geheim)
    {
        using (var file = File.OpenRead(Path.Combine(RepositoryPaths.Fixtures, archive)))
        using (var gzip = new GZipStream(file, CompressionMode.Decompress))
            TarFile.ExtractToDirectory(gzip, destination, overwriteFiles: false);
        return Path.Combine(destination, "repo");
    }
}
