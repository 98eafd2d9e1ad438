using StashMount.Mount.Restore;
using StashMount.Repository.Trees;
using StashMount.TestSupport;

namespace StashMount.Mount.Tests.Restore;

public sealed class NewFileDefaultsTests
{
    [Fact]
    public void UmaskIsReadFromTheStatusFile()
    {
        using var temp = new TempDirectory();
        var status = temp.Combine("status");
        File.WriteAllLines(status, ["Name:\tx", "Umask:\t0027", "State:\tR"]);
        Assert.Equal(0x17u, NewFileDefaults.ReadUmask(status));
        Assert.Null(NewFileDefaults.ReadUmask(temp.Combine("missing")));
    }

    [Fact]
    public void FileCreatedWithTheModeItWasGivenHasTheOwnerAndModeTheDefaultsPromise()
    {
        using var temp = new TempDirectory();
        var defaults = NewFileDefaults.ForDirectory(temp.Path);
        var umask = NewFileDefaults.ReadUmask("/proc/self/status")!.Value;
        var wanted = 0x1a4u & ~umask; // 0644 less the umask
        Assert.Equal(wanted, defaults.CreateMode(wanted));
        Assert.Null(defaults.CreateMode(0x9a4)); // set-user-ID: left to fchmod
        if (umask != 0)
            Assert.Null(defaults.CreateMode(0x1ff));
        var path = temp.Combine("f");
        var fd = PosixFileCalls.CreateExclusive(path, wanted);
        Assert.True(fd >= 0);
        PosixFileCalls.Close(fd);
        Assert.Equal(-PosixFileCalls.EExist, PosixFileCalls.CreateExclusive(path, wanted));
        Assert.Equal((UnixFileMode)wanted, File.GetUnixFileMode(path));
        Assert.True(defaults.OwnerMatches(new Node { Name = "f", Uid = Owner.Uid, Gid = Owner.Gid }));
        Assert.False(defaults.OwnerMatches(new Node { Name = "f", Uid = Owner.Uid + 1, Gid = Owner.Gid }));
    }

    private static class Owner
    {
        public static uint Uid => uint.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:")).Split('\t')[2]);
        public static uint Gid => uint.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("Gid:")).Split('\t')[2]);
    }
}
