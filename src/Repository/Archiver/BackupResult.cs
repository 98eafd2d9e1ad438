using StashMount.Repository.Writer;

namespace StashMount.Repository.Archiver;

/// <summary>The outcome of a backup: the new snapshot, its parent and the counters restic prints.</summary>
public sealed record BackupResult(ObjectId SnapshotId, ObjectId? ParentId, ArchiveStatistics Files, WriteStatistics Blobs, TimeSpan Duration);
