using StashMount.Repository.Trees;

namespace StashMount.Repository.Snapshots;

/// <summary>A snapshot about to be written: restic's Snapshot struct fields in their JSON order.</summary>
public sealed record NewSnapshot
{
    public required GoTimestamp Time { get; init; }
    public ObjectId? Parent { get; init; }
    public required ObjectId Tree { get; init; }
    public required IReadOnlyList<string> Paths { get; init; }
    public string Hostname { get; init; } = "";
    public string Username { get; init; } = "";
    public uint Uid { get; init; }
    public uint Gid { get; init; }
    public IReadOnlyList<string> Excludes { get; init; } = [];
    public IReadOnlyList<string> Tags { get; init; } = [];
    public ObjectId? Original { get; init; }
}
