namespace StashMount.Repository.Trees;

/// <summary>restic's node "type" values.</summary>
public enum NodeType
{
    File,
    Dir,
    Symlink,
    Dev,
    CharDev,
    Fifo,
    Socket,
    Irregular,
}
