namespace StashMount.Repository.Trees;

/// <summary>A decoded tree blob: its nodes in the stored (name-sorted) order.</summary>
public sealed record Tree(ObjectId Id, IReadOnlyList<Node> Nodes);
