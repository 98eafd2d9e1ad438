using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace StashMount.Backends.Kubernetes;

/// <summary>
/// One parsed kubeconfig file. Kept as a YAML node tree rather than typed classes because we read only a few
/// fields and must resolve relative file paths against the file's own directory.
/// </summary>
internal sealed class KubeconfigFile
{
    private readonly YamlMappingNode _root;

    private KubeconfigFile(string path, YamlMappingNode root)
    {
        Path = path;
        Directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? "/";
        _root = root;
    }

    public string Path { get; }

    public string Directory { get; }

    public string? CurrentContext => Scalar(_root, "current-context");

    public static KubeconfigFile Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubernetesApiException($"cannot read kubeconfig {path}: {e.Message}", inner: e);
        }
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            var root = stream.Documents.Count > 0 ? stream.Documents[0].RootNode as YamlMappingNode : null;
            return new KubeconfigFile(path, root ?? new YamlMappingNode());
        }
        catch (YamlException e)
        {
            throw new KubernetesApiException($"kubeconfig {path} is not valid YAML (line {e.Start.Line}): {e.Message}", inner: e);
        }
    }

    /// <summary>The body of the named entry of a list such as clusters: [{name, cluster: {...}}].</summary>
    public YamlMappingNode? FindNamed(string list, string name, string body)
    {
        if (Child(_root, list) is not YamlSequenceNode entries)
            return null;
        foreach (var entry in entries.OfType<YamlMappingNode>())
            if (Scalar(entry, "name") == name)
                return Child(entry, body) as YamlMappingNode ?? new YamlMappingNode();
        return null;
    }

    /// <summary>A path from the file, made absolute against the file's directory as kubectl does.</summary>
    public string ResolvePath(string path) => System.IO.Path.IsPathRooted(path) ? path : System.IO.Path.Combine(Directory, path);

    public static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    public static string? Scalar(YamlMappingNode node, string key) =>
        Child(node, key) is YamlScalarNode { Value: { Length: > 0 } value } ? value : null;
}
