using System.Collections.Concurrent;

namespace StashMount.Repository.Archiver;

/// <summary>User and group names for IDs, read once from /etc/passwd and /etc/group (as Go's os/user does without cgo).</summary>
internal sealed class AccountNames
{
    private readonly Lazy<IReadOnlyDictionary<uint, string>> _users = new(() => Read("/etc/passwd"));
    private readonly Lazy<IReadOnlyDictionary<uint, string>> _groups = new(() => Read("/etc/group"));

    public static AccountNames Shared { get; } = new();

    public string UserName(uint uid) => _users.Value.TryGetValue(uid, out var name) ? name : "";

    public string GroupName(uint gid) => _groups.Value.TryGetValue(gid, out var name) ? name : "";

    private static IReadOnlyDictionary<uint, string> Read(string path)
    {
        var map = new ConcurrentDictionary<uint, string>();
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                var fields = line.Split(':');
                if (fields.Length >= 3 && uint.TryParse(fields[2], out var id))
                    map.TryAdd(id, fields[0]);
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return map;
    }
}
