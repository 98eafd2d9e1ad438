using System.Text.Json.Serialization;

namespace StashMount.Repository.Keys;

/// <summary>
/// Compile-time JSON contracts for the key file and the master key inside it. Reflection-based serialization
/// built its converters with emitted IL at every command's start: ~70 methods JIT-compiled (fully optimized, as
/// tiering is off) before the repository could even be opened.
/// </summary>
[JsonSerializable(typeof(KeyFile))]
[JsonSerializable(typeof(MasterKeyDocument))]
internal sealed partial class KeyJsonContext : JsonSerializerContext;
