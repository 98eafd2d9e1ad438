using System.Text.Json;
using StashMount.Repository;
using StashMount.Repository.Snapshots;

namespace StashMount.Mount.Tests.Filesystem.Templates;

/// <summary>Snapshots with just the fields the path templates read.</summary>
internal static class TemplateSnapshots
{
    public static Snapshot Make(int n, DateTimeOffset time, string host = "host", string user = "user", params string[] tags) => new()
    {
        Id = ObjectId.Hash(BitConverter.GetBytes(n)),
        Time = time,
        TimeText = time.ToString("O"),
        Tree = ObjectId.Hash([]),
        Hostname = host,
        Username = user,
        Tags = tags,
        Json = JsonDocument.Parse("{}").RootElement,
    };
}
