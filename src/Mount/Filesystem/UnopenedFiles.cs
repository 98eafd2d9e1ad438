using System.Collections.Concurrent;
using StashMount.Mount.DataPath;

namespace StashMount.Mount.Filesystem;

/// <summary>
/// Read state of files read without an open. A read-only mount answers open with ENOSYS, after which the kernel
/// opens and closes files with no request at all (open, flush and release were three round trips per file, more
/// than the read of a small file itself); reads then come with handle 0. Each inode gets one
/// <see cref="OpenFile"/> at its first read, dropped at the read that reaches the end of the file (a sequential
/// reader's last) or when the kernel forgets the inode, so the table only holds files being read.
/// </summary>
internal sealed class UnopenedFiles
{
    private readonly ConcurrentDictionary<ulong, OpenFile> _reading = new();

    public int Count => _reading.Count;

    /// <summary>The read state of <paramref name="inode"/> for a read of [offset, offset+size); <paramref name="started"/> is
    /// called with the new state when this read is the first.</summary>
    public OpenFile ForRead(ulong inode, long offset, int size, Func<OpenFile> create, Action started)
    {
        if (!_reading.TryGetValue(inode, out var file))
        {
            var fresh = create();
            file = _reading.GetOrAdd(inode, fresh);
            if (ReferenceEquals(file, fresh))
                started();
        }
        if (offset + size >= file.Length)
            _reading.TryRemove(new KeyValuePair<ulong, OpenFile>(inode, file));
        return file;
    }

    public void Forget(ulong inode) => _reading.TryRemove(inode, out _);
}
