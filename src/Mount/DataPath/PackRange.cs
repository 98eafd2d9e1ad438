using StashMount.Repository;
using StashMount.Repository.Index;

namespace StashMount.Mount.DataPath;

/// <summary>One backend range request: a span of one pack that holds the given blobs (sorted by offset).</summary>
public sealed record PackRange(ObjectId PackId, long Offset, int Length, IReadOnlyList<PackedBlob> Blobs);
