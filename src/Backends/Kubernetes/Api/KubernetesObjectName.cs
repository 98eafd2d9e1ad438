namespace StashMount.Backends.Kubernetes;

/// <summary>A namespaced object named on the command line as NS/NAME (or NAME in the default namespace).</summary>
public readonly record struct KubernetesObjectName(string Namespace, string Name)
{
    public static KubernetesObjectName Parse(string text, string defaultNamespace = "default")
    {
        var parts = text.Split('/');
        var valid = parts.Length is 1 or 2 && parts.All(p => p.Length > 0 && !p.Any(char.IsWhiteSpace));
        if (!valid)
            throw new ArgumentException($"\"{text}\" is not a Kubernetes object name: expected NAMESPACE/NAME or NAME");
        return parts.Length == 2 ? new KubernetesObjectName(parts[0], parts[1]) : new KubernetesObjectName(defaultNamespace, parts[0]);
    }

    public override string ToString() => $"{Namespace}/{Name}";
}
