using System.Text;
using StashMount.Repository.Trees;

namespace StashMount.Repository.Tests.Loading;

/// <summary>Walks a snapshot's trees through the repository and checks them against the directory that was backed up.</summary>
internal static class SnapshotComparer
{
    /// <summary>
    /// The tree of a backed-up directory. restic nests it below the root tree by the path as given on the
    /// command line: the whole absolute path, or only its last parts when a relative path was backed up.
    /// </summary>
    public static async Task<Tree> FindTreeAsync(ResticRepository repository, ObjectId root, string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var skip = 0; skip < parts.Length; skip++)
        {
            var tree = await repository.LoadTreeAsync(root);
            foreach (var part in parts.Skip(skip))
            {
                var node = tree.Nodes.FirstOrDefault(n => n.Name == part && n.Subtree != null);
                if (node is null)
                {
                    tree = null;
                    break;
                }
                tree = await repository.LoadTreeAsync(node.Subtree!.Value);
            }
            if (tree != null)
                return tree;
        }
        throw new InvalidOperationException($"{path} is not in tree {root}");
    }

    /// <summary>Asserts the tree equals the directory: names, types, modes, sizes, link targets and every file's bytes. Returns the file count.</summary>
    public static async Task<int> AssertEqualAsync(ResticRepository repository, Tree tree, string directory)
    {
        var entries = new DirectoryInfo(directory).EnumerateFileSystemInfos().OrderBy(e => Encoding.UTF8.GetBytes(e.Name), ByteOrder.Instance).ToList();
        Assert.Equal(entries.Select(e => e.Name), tree.Nodes.Select(n => n.Name));
        var files = 0;
        foreach (var (entry, node) in entries.Zip(tree.Nodes))
        {
            if (entry.LinkTarget is { } target)
            {
                Assert.Equal(NodeType.Symlink, node.Type);
                Assert.Equal(target, node.LinkTarget);
            }
            else if (entry is DirectoryInfo)
            {
                Assert.Equal(NodeType.Dir, node.Type);
                Assert.Equal((uint)File.GetUnixFileMode(entry.FullName) | GoFileMode.Dir, node.Mode);
                files += await AssertEqualAsync(repository, await repository.LoadTreeAsync(node.Subtree!.Value), entry.FullName);
            }
            else
            {
                Assert.Equal(NodeType.File, node.Type);
                Assert.Equal((uint)File.GetUnixFileMode(entry.FullName), node.Mode);
                var expected = await File.ReadAllBytesAsync(entry.FullName);
                Assert.Equal((ulong)expected.Length, node.Size);
                var actual = new MemoryStream();
                foreach (var blob in node.Content)
                    actual.Write(await repository.LoadBlobAsync(blob, BlobType.Data));
                Assert.True(expected.AsSpan().SequenceEqual(actual.ToArray()), $"content of {entry.FullName} differs");
                files++;
            }
        }
        return files;
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
