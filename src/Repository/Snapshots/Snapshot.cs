using System.Text.Json;

namespace StashMount.Repository.Snapshots;

/// <summary>A decoded snapshot file. <see cref="Json"/> keeps the whole document for faithful output.</summary>
public sealed class Snapshot
{
    public required ObjectId Id { get; init; }
    public required DateTimeOffset Time { get; init; }
    /// <summary>The time exactly as stored (nanosecond precision), for JSON output and ordering ties.</summary>
    public required string TimeText { get; init; }
    /// <summary>The stored time with full precision and the writer's offset.</summary>
    public Trees.GoTimestamp Timestamp { get; init; }
    public required ObjectId Tree { get; init; }
    public IReadOnlyList<string> Paths { get; init; } = [];
    public string Hostname { get; init; } = "";
    public string Username { get; init; } = "";
    public uint Uid { get; init; }
    public uint Gid { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyList<string> Excludes { get; init; } = [];
    public ObjectId? Parent { get; init; }
    public ObjectId? Original { get; init; }
    public string? ProgramVersion { get; init; }
    public JsonElement Json { get; init; }

    public string ShortId => Id.ToShortString();
}
