using System.Text;
using StashMount.Mount.Fuse;

namespace StashMount.Mount.Tests.Fuse;

/// <summary>A tiny fixed tree served over FUSE for binding tests. Reads complete asynchronously on purpose.</summary>
internal sealed class InMemoryFileSystem : FuseFileSystem
{
    private sealed record Item(ulong Inode, uint Mode, byte[] Content, string? LinkTarget, Dictionary<string, ulong> Children, Dictionary<string, byte[]> Xattrs);

    private readonly Dictionary<ulong, Item> _items = [];
    private ulong _next = RootInode;

    public static readonly DateTimeOffset ModifiedAt = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);

    public InMemoryFileSystem()
    {
        Add(FuseAttributes.Directory | 0x1ED, [], null);
    }

    public ulong AddFile(ulong parent, string name, byte[] content, uint permissions = 0x1A4) =>
        Link(parent, name, Add(FuseAttributes.RegularFile | permissions, content, null));

    public ulong AddDirectory(ulong parent, string name) => Link(parent, name, Add(FuseAttributes.Directory | 0x1ED, [], null));

    public ulong AddSymlink(ulong parent, string name, string target) =>
        Link(parent, name, Add(FuseAttributes.SymbolicLink | 0x1FF, Encoding.UTF8.GetBytes(target), target));

    public void SetXattr(ulong inode, string name, byte[] value) => _items[inode].Xattrs[name] = value;

    private ulong Add(uint mode, byte[] content, string? target)
    {
        var inode = _next++;
        _items[inode] = new Item(inode, mode, content, target, [], []);
        return inode;
    }

    private ulong Link(ulong parent, string name, ulong inode)
    {
        _items[parent].Children[name] = inode;
        return inode;
    }

    private FuseAttributes Attributes(Item item) => new()
    {
        Inode = item.Inode,
        Mode = item.Mode,
        Links = (item.Mode & FuseAttributes.TypeMask) == FuseAttributes.Directory ? 2u : 1u,
        Size = item.Content.Length,
        Blocks = (item.Content.Length + 511) / 512,
        ModificationTime = FuseTimestamp.FromDateTimeOffset(ModifiedAt),
        AccessTime = FuseTimestamp.FromDateTimeOffset(ModifiedAt),
        ChangeTime = FuseTimestamp.FromDateTimeOffset(ModifiedAt),
    };

    private FuseEntry Entry(Item item) => new(Attributes(item), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60));

    private Item Get(ulong inode) => _items.TryGetValue(inode, out var item) ? item : throw new FuseException(Errno.ENOENT);

    public override ValueTask<FuseEntry?> LookupAsync(ulong parent, string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Get(parent).Children.TryGetValue(name, out var child) ? Entry(_items[child]) : (FuseEntry?)null);

    public override ValueTask<FuseAttributes> GetAttributesAsync(ulong inode, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Attributes(Get(inode)));

    public override ValueTask<string> ReadLinkAsync(ulong inode, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Get(inode).LinkTarget ?? throw new FuseException(Errno.EINVAL));

    public override async ValueTask<int> ReadAsync(ulong inode, ulong handle, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        await Task.Yield(); // answer from another thread, as the repository filesystem does
        var content = Get(inode).Content;
        if (offset >= content.Length)
            return 0;
        var n = (int)Math.Min(destination.Length, content.Length - offset);
        content.AsSpan((int)offset, n).CopyTo(destination.Span);
        return n;
    }

    /// <summary>Files whose reads answer with pieces of at most this many bytes (the gathered reply path).</summary>
    private readonly Dictionary<ulong, int> _pieceBytes = [];
    private int _piecesOutstanding;

    public void AnswerInPieces(ulong inode, int pieceBytes) => _pieceBytes[inode] = pieceBytes;

    /// <summary>Read answers handed out and not yet released.</summary>
    public int PiecesOutstanding => Volatile.Read(ref _piecesOutstanding);

    public override async ValueTask<IFuseReadData> ReadDataAsync(ulong inode, ulong handle, long offset, int size, CancellationToken cancellationToken)
    {
        if (!_pieceBytes.TryGetValue(inode, out var pieceBytes))
            return await base.ReadDataAsync(inode, handle, offset, size, cancellationToken);
        await Task.Yield();
        var content = Get(inode).Content;
        var pieces = new List<ReadOnlyMemory<byte>>();
        for (var at = offset; at < Math.Min(offset + size, content.Length);)
        {
            var n = (int)Math.Min(pieceBytes - at % pieceBytes, Math.Min(offset + size, content.Length) - at);
            pieces.Add(content.AsMemory((int)at, n));
            at += n;
        }
        Interlocked.Increment(ref _piecesOutstanding);
        return new Pieces(pieces, this);
    }

    private sealed class Pieces(List<ReadOnlyMemory<byte>> pieces, InMemoryFileSystem owner) : IFuseReadData
    {
        private int _released;

        public int Count => pieces.Count;

        public ReadOnlyMemory<byte> this[int index] => pieces[index];

        public void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
                throw new InvalidOperationException("read data released twice");
            Interlocked.Decrement(ref owner._piecesOutstanding);
        }
    }

    public override ValueTask<IReadOnlyList<FuseDirectoryEntry>> ListDirectoryAsync(ulong inode, CancellationToken cancellationToken)
    {
        var item = Get(inode);
        if ((item.Mode & FuseAttributes.TypeMask) != FuseAttributes.Directory)
            throw new FuseException(Errno.ENOTDIR);
        return ValueTask.FromResult<IReadOnlyList<FuseDirectoryEntry>>(
            item.Children.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new FuseDirectoryEntry(c.Key, Entry(_items[c.Value]))).ToList());
    }

    /// <summary>Runs in the getxattr callback before it answers (a test can block a FUSE thread there).</summary>
    public Action<string>? BeforeGetXattr { get; set; }

    public override ValueTask<byte[]?> GetExtendedAttributeAsync(ulong inode, string name, CancellationToken cancellationToken)
    {
        BeforeGetXattr?.Invoke(name);
        return ValueTask.FromResult(Get(inode).Xattrs.GetValueOrDefault(name));
    }

    public override ValueTask<IReadOnlyList<string>> ListExtendedAttributesAsync(ulong inode, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<string>>(Get(inode).Xattrs.Keys.ToList());

    public override FuseStatfs GetStatfs() => new(4096, 1000, 10);
}
