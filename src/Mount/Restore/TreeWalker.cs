using StashMount.Repository;
using StashMount.Repository.Trees;

namespace StashMount.Mount.Restore;

/// <summary>
/// Visits a snapshot's nodes depth first in stored (name) order, with each node's path inside the snapshot
/// ("/data/sub/f", as restic prints and matches it).
/// </summary>
public static class TreeWalker
{
    /// <summary>What to do after visiting a node.</summary>
    public enum Step
    {
        /// <summary>Visit a directory's children.</summary>
        Descend,
        /// <summary>Do not visit the children.</summary>
        Skip,
    }

    /// <param name="enter">Called for every node before its children; decides whether to descend into a directory.</param>
    /// <param name="leave">Called for a directory after its children were visited (when it was descended into).</param>
    public static async Task WalkAsync(ResticRepository repository, ObjectId treeId, string parentPath,
        Func<string, Node, ValueTask<Step>> enter, Func<string, Node, ValueTask>? leave, CancellationToken cancellationToken)
    {
        var tree = await repository.LoadTreeAsync(treeId, cancellationToken).ConfigureAwait(false);
        foreach (var node in tree.Nodes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = Join(parentPath, node.Name);
            var step = await enter(path, node).ConfigureAwait(false);
            if (node.Type != NodeType.Dir || step == Step.Skip)
                continue;
            if (node.Subtree is { } subtree)
                await WalkAsync(repository, subtree, path, enter, leave, cancellationToken).ConfigureAwait(false);
            if (leave != null)
                await leave(path, node).ConfigureAwait(false);
        }
    }

    public static string Join(string parent, string name) => parent.EndsWith('/') ? parent + name : parent + "/" + name;

    /// <summary>Finds the node at <paramref name="path"/> ("/data/sub/f"); null when there is none.</summary>
    public static async Task<Node?> FindAsync(ResticRepository repository, ObjectId rootTree, string path, CancellationToken cancellationToken)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
            return null;
        ObjectId? treeId = rootTree;
        Node? node = null;
        foreach (var part in parts)
        {
            if (treeId is not { } id)
                return null;
            var tree = await repository.LoadTreeAsync(id, cancellationToken).ConfigureAwait(false);
            node = tree.Nodes.FirstOrDefault(n => n.Name == part);
            if (node is null)
                return null;
            treeId = node.Type == NodeType.Dir ? node.Subtree : null;
        }
        return node;
    }
}
