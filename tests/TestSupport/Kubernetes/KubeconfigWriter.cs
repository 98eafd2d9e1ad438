using System.Text;

namespace StashMount.TestSupport.Kubernetes;

/// <summary>Writes kubeconfig files the way kubectl lays them out, with one cluster, user and context each.</summary>
public static class KubeconfigWriter
{
    public static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    /// <param name="clusterFields">YAML lines under "cluster:" besides server (already indented by 4).</param>
    /// <param name="userFields">YAML lines under "user:" (indented by 4).</param>
    public static string Write(string path, Uri server, string clusterFields, string userFields, string name = "test", string? currentContext = "test", string? @namespace = null)
    {
        var text = $"""
            apiVersion: v1
            kind: Config
            {(currentContext is null ? "" : "current-context: " + currentContext)}
            clusters:
            - name: {name}-cluster
              cluster:
                server: {server}
            {clusterFields}
            users:
            - name: {name}-user
              user:
            {userFields}
            contexts:
            - name: {name}
              context:
                cluster: {name}-cluster
                user: {name}-user
            {(@namespace is null ? "" : "    namespace: " + @namespace)}
            """;
        File.WriteAllText(path, text);
        return path;
    }
}
