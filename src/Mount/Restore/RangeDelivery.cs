using StashMount.Repository;

namespace StashMount.Mount.Restore;

/// <summary>A pack range queued for the readers, with the deliveries of the batch it was planned from (by blob ID).</summary>
public sealed record RangeDelivery(PackRange Range, IReadOnlyDictionary<ObjectId, BlobDelivery> Deliveries);
