namespace StashMount.Repository;

/// <summary>The two kinds of blob in a pack: file content, or a tree (a JSON directory listing).</summary>
public enum BlobType : byte
{
    Data = 0,
    Tree = 1,
}
