namespace StashMount.Mount.Fuse;

/// <summary>The filesystem could not be mounted; the message is one line meant for the user.</summary>
public sealed class MountException(string message) : IOException(message);
