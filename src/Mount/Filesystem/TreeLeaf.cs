using StashMount.Mount.Fuse;
using StashMount.Repository.Trees;

namespace StashMount.Mount.Filesystem;

/// <summary>A snapshot entry without content: a symlink, a device node, a fifo or a socket.</summary>
internal sealed class TreeLeaf(FuseAttributes attributes, Node node, MountNode parent) : MountNode(attributes.Inode, node.Name, parent)
{
    public override FuseAttributes Attributes { get; } = attributes;

    public Node Node { get; } = node;
}
