using StashMount.TestSupport;

namespace StashMount.EndToEnd.Tests.Writable;

/// <summary>
/// Files created write-only under new/ are ingested while they are written; writes that are not one ordered stream
/// (a write back at the start, a truncate, a second writer, a read-write handle, a rewrite after the close) must
/// still be committed exactly as they ended up in the spool. restic is the judge.
/// </summary>
[Collection("mount")]
public sealed class LiveIngestionTests
{
    private static readonly TreeCapture.Options Compare = new(AccessTimes: false);

    // Each case writes one file through the mount the way its name says; big enough for several chunks where it matters.
    private const string Writers = """
        import os, sys
        new = sys.argv[1]
        big = bytes((i * 7919 + i // 4096) % 251 for i in range(3 << 20))
        mib = 1 << 20
        def path(name): return os.path.join(new, name)
        def create(name): return os.open(path(name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        # cp's way: at most 1 MiB per write(2), so each is one FUSE request and they arrive in order.
        def write(fd, data):
            for at in range(0, len(data), mib): os.write(fd, data[at:at + mib])

        fd = create("in-order")
        for _ in range(4): write(fd, big)
        os.close(fd)

        fd = create("back-to-start")
        write(fd, big[:2 * mib]); os.pwrite(fd, b"rewritten start", 0); write(fd, big[:mib])
        os.close(fd)

        fd = create("truncated-while-open")
        write(fd, big); os.ftruncate(fd, mib); os.write(fd, b"after the hole")  # at 3 MiB: right after the last write
        os.close(fd)

        fd = create("one-big-write")
        os.write(fd, big); os.close(fd)  # three requests at once (async direct I/O): may arrive in any order

        fd = create("two-writers")
        os.write(fd, big[:mib])
        other = os.open(path("two-writers"), os.O_WRONLY)
        os.pwrite(other, b"second writer", 100)
        os.write(fd, big[mib:2 * mib])
        os.close(other); os.close(fd)

        fd = os.open(path("read-write"), os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        write(fd, big); os.pwrite(fd, b"x", 5)
        os.close(fd)

        fd = create("rewritten-after-close")
        write(fd, big); os.close(fd)
        fd = os.open(path("rewritten-after-close"), os.O_WRONLY | os.O_TRUNC)
        os.write(fd, b"short now\n"); os.close(fd)

        fd = create("appended-later")
        os.write(fd, big[:mib]); os.close(fd)
        fd = os.open(path("appended-later"), os.O_WRONLY | os.O_APPEND)
        os.write(fd, b"appended\n"); os.close(fd)

        for i in range(50):
            fd = create("small-%02d" % i); os.write(fd, big[i:i + 100 + 37 * i]); os.close(fd)
        fd = create("empty"); os.close(fd)
        """;

    [Fact]
    public async Task FilesWrittenInAnyOrderAreCommittedAsTheyEndedUp()
    {
        using var fixture = new WritableMount();
        await fixture.Restic.InitAsync();
        var script = fixture.Combine("writers.py");
        await File.WriteAllTextAsync(script, Writers);
        await using var mount = await fixture.StartAsync();
        Directory.CreateDirectory(Path.Combine(fixture.New, "first")); // the first change after the mount prepares the writer

        var run = await ProcessRunner.RunAsync("python3", [script, fixture.New], timeout: TimeSpan.FromMinutes(5));
        Assert.True(run.ExitCode == 0, run.StandardError + mount.Output);
        var expected = TreeCapture.Capture(fixture.New, Compare);
        var id = await fixture.CommitIdAsync(mount);

        var restored = await fixture.CheckAndRestoreAsync(id, "restored");
        TreeAssert.Equal(expected, TreeCapture.Capture(restored, Compare));
    }
}
