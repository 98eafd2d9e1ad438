namespace StashMount.Mount.Fuse;

/// <summary>
/// The answer to open: a handle the filesystem chooses (passed back on read/release), whether the kernel may keep
/// its page cache across opens (true for immutable content) and whether to bypass the page cache.
/// </summary>
public readonly record struct FuseOpenResult(ulong Handle, bool KeepCache = true, bool DirectIo = false);
