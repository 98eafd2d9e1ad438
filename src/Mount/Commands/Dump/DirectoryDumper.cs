using StashMount.Mount.Restore;
using StashMount.Repository;
using StashMount.Repository.Trees;

namespace StashMount.Mount.Commands.Dump;

/// <summary>
/// Writes everything below a directory of a snapshot into an archive, depth first. Like restic, the entries are
/// the directory's descendants (not the directory itself), named by their full path in the snapshot.
/// </summary>
internal static class DirectoryDumper
{
    public static Task DumpAsync(ResticRepository repository, ObjectId tree, string directoryPath, ArchiveSink sink, CancellationToken cancellationToken) =>
        TreeWalker.WalkAsync(repository, tree, directoryPath, async (path, node) =>
        {
            var name = path.TrimStart('/');
            switch (node.Type)
            {
                case NodeType.Dir:
                    await sink.AddDirectoryAsync(name, node, cancellationToken).ConfigureAwait(false);
                    break;
                case NodeType.File:
                    await sink.AddFileAsync(name, node,
                        (stream, token) => DumpCommand.WriteContentAsync(repository, node.Content, stream, token), cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    await sink.AddSpecialAsync(name, node, cancellationToken).ConfigureAwait(false);
                    break;
            }
            return TreeWalker.Step.Descend;
        }, leave: null, cancellationToken);
}
