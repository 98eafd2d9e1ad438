using System.Text.Json;
using StashMount.Mount.Filesystem;
using StashMount.Repository;
using StashMount.Repository.Snapshots;

namespace StashMount.Mount.Tests.Filesystem;

public sealed class SnapshotNamesTests
{
    private static Snapshot Snap(int n, DateTimeOffset time) => new()
    {
        Id = ObjectId.Hash(BitConverter.GetBytes(n)),
        Time = time,
        TimeText = time.ToString("O"),
        Tree = ObjectId.Hash([]),
        Json = JsonDocument.Parse("{}").RootElement,
    };

    [Fact]
    public void NamesAreUtcSecondsWithSuffixesOnCollision()
    {
        var t = new DateTimeOffset(2024, 1, 2, 4, 5, 6, TimeSpan.FromHours(1)).AddMilliseconds(250);
        var names = SnapshotNames.Assign([Snap(2, t.AddMilliseconds(100)), Snap(1, t), Snap(3, t.AddMinutes(1)), Snap(4, t.AddMilliseconds(200))]);
        Assert.Equal(["2024-01-02T03:05:06Z", "2024-01-02T03:05:06Z-1", "2024-01-02T03:05:06Z-2", "2024-01-02T03:06:06Z"], names.Select(n => n.Name));
    }
}
