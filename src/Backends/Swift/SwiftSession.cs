namespace StashMount.Backends.Swift;

/// <summary>Where the object store is and the token to use there, as an auth call returned them.</summary>
internal sealed record SwiftSession(string StorageUrl, string Token);
