using Mono.Unix.Native;
using StashMount.Mount.Writable;
using StashMount.TestSupport;

namespace StashMount.Mount.Tests.Writable;

/// <summary>Empty files made ahead for creates under new/: linked in place, never over an existing name.</summary>
public sealed class SpoolFilePoolTests
{
    // The pool fills on its own thread: the first takes may find it empty.
    private static int TakeWhenReady(SpoolFilePool pool, string target)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var descriptor = pool.Take(target);
            if (descriptor >= 0 || DateTime.UtcNow > deadline)
                return descriptor;
            Thread.Sleep(10);
        }
    }

    private static void Close(int descriptor)
    {
        Assert.True(descriptor >= 0);
        Syscall.close(descriptor);
    }

    [Fact]
    public void TakeLinksAnEmptyWritableFileAtTheTarget()
    {
        using var temp = new TempDirectory();
        using var pool = new SpoolFilePool(temp.Path);
        var target = temp.Combine("made");
        var descriptor = TakeWhenReady(pool, target);
        Assert.True(descriptor >= 0);
        try
        {
            Assert.Equal(0, Syscall.fstat(descriptor, out var stat));
            Assert.Equal(0, Syscall.lstat(target, out var named));
            Assert.Equal(stat.st_ino, named.st_ino);
            Assert.Equal(0, named.st_size);
            Assert.Equal(1ul, named.st_nlink);
            Assert.Equal(FilePermissions.S_IFREG | FilePermissions.S_IRUSR | FilePermissions.S_IWUSR, named.st_mode);
            using (var stream = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(descriptor, ownsHandle: false), FileAccess.ReadWrite))
                stream.Write("abc"u8);
            Assert.Equal("abc", File.ReadAllText(target));
        }
        finally
        {
            Syscall.close(descriptor);
        }
        Assert.Equal(["made"], Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void TakeNeverReplacesAndKeepsTheFileForTheNextCreate()
    {
        using var temp = new TempDirectory();
        using var pool = new SpoolFilePool(temp.Path);
        var existing = temp.Combine("existing");
        File.WriteAllText(existing, "keep");
        Close(TakeWhenReady(pool, temp.Combine("warm"))); // the pool has files from here on
        for (var i = 0; i < 300; i++)
            Assert.Equal(-1, pool.Take(existing));
        Assert.Equal(-1, pool.Take(temp.Combine("no-such-folder", "file")));
        Assert.Equal("keep", File.ReadAllText(existing));
        Close(TakeWhenReady(pool, temp.Combine("next")));
        Assert.Equal(0, new FileInfo(temp.Combine("next")).Length);
    }
}
