using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace StashMount.Backends.Kubernetes;

/// <summary>
/// Reads the YAML copies KubeStash keeps in the bucket (metadata.yaml, repository.yaml, Snapshot YAMLs) into
/// the same JsonElement shape the API returns, so one set of field readers serves both. Scalars stay strings.
/// </summary>
internal static class YamlObjects
{
    /// <summary>Every document of the text as an object; null when the text is not YAML.</summary>
    public static IReadOnlyList<JsonElement>? Parse(byte[] content)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(Encoding.UTF8.GetString(content)));
        }
        catch (YamlException)
        {
            return null;
        }
        var documents = new List<JsonElement>();
        foreach (var document in stream.Documents)
            if (ToNode(document.RootNode) is JsonObject root)
                documents.Add(JsonSerializer.SerializeToElement(root));
        return documents;
    }

    private static JsonNode? ToNode(YamlNode node) => node switch
    {
        YamlMappingNode mapping => Mapping(mapping),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToNode)]),
        YamlScalarNode { Value: { } value } scalar when scalar.Style != ScalarStyle.Plain || value is not ("~" or "null" or "") => JsonValue.Create(value),
        _ => null,
    };

    private static JsonObject Mapping(YamlMappingNode mapping)
    {
        var result = new JsonObject();
        foreach (var (key, value) in mapping.Children)
            if (key is YamlScalarNode { Value: { } name })
                result[name] = ToNode(value);
        return result;
    }
}
