namespace StashMount.Repository.Trees;

/// <summary>One xattr of a node: its name and raw value (base64 in the tree JSON).</summary>
public sealed record ExtendedAttribute(string Name, byte[] Value);
