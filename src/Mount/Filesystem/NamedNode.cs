namespace StashMount.Mount.Filesystem;

/// <summary>A directory entry: the name under which a node is listed (a snapshot root is listed under several names).</summary>
internal readonly record struct NamedNode(string Name, MountNode Node);
