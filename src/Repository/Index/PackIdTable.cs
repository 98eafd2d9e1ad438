namespace StashMount.Repository.Index;

/// <summary>
/// Interns pack IDs so that index entries store a 4-byte number instead of a 32-byte ID. Readers index the
/// published array without locking: entries are only appended, and an array is published before any index
/// entry that refers to one of its slots.
/// </summary>
internal sealed class PackIdTable
{
    private readonly Dictionary<ObjectId, int> _numbers = new();
    private ObjectId[] _ids = new ObjectId[64];

    public int Count => _numbers.Count;

    public ObjectId this[int number] => Volatile.Read(ref _ids)[number];

    /// <summary>Returns the pack's number, adding it when new. Callers serialise writes.</summary>
    public int Intern(ObjectId packId)
    {
        if (_numbers.TryGetValue(packId, out var number))
            return number;
        number = _numbers.Count;
        if (number == IndexEntry.MaxPackIndex)
            throw new RepositoryException("the index holds too many packs");
        var ids = _ids;
        if (number == ids.Length)
        {
            var grown = new ObjectId[ids.Length * 2];
            ids.CopyTo(grown, 0);
            grown[number] = packId;
            Volatile.Write(ref _ids, grown);
        }
        else
        {
            ids[number] = packId;
        }
        _numbers.Add(packId, number);
        return number;
    }

    public bool TryGetNumber(ObjectId packId, out int number) => _numbers.TryGetValue(packId, out number);

    /// <summary>Bytes held by the table (IDs plus the dictionary's entries), for measurements.</summary>
    public long ApproximateBytes => (long)_ids.Length * ObjectId.Size + (long)_numbers.Count * 48;
}
