namespace StashMount.Backends.Kubernetes;

/// <summary>
/// A restic repository found through the Kubernetes API: the repository string restic would use
/// (s3:endpoint/bucket/prefix, gs:bucket:/prefix, a local path, ...) and the credentials under the
/// environment-variable names restic and Stash use (RESTIC_PASSWORD, AWS_ACCESS_KEY_ID, CA_CERT_DATA, ...).
/// </summary>
public sealed record ResolvedRepository(string Repository, IReadOnlyDictionary<string, string> Credentials)
{
    /// <summary>s3 insecureTLS: accept any server certificate (restic --insecure-tls).</summary>
    public bool InsecureTls { get; init; }

    /// <summary>The provider's maxConnections, when set; restic's -o &lt;provider&gt;.connections.</summary>
    public int? Connections { get; init; }

    /// <summary>Where this came from, for messages: "Stash Repository demo/s3-repo".</summary>
    public string Source { get; init; } = "";

    public override string ToString() => $"{Repository} (from {Source})";
}
