using System.Text.Json;
using StashMount.Repository.Json;
using StashMount.Repository.Trees;

namespace StashMount.Repository.Locks;

/// <summary>The content of a lock file (restic's Lock struct): who holds it, since when, and whether exclusively.</summary>
public sealed record LockInfo(GoTimestamp Time, bool Exclusive, string Hostname, string Username, int Pid, uint Uid, uint Gid)
{
    /// <summary>restic considers a lock older than this stale.</summary>
    public static readonly TimeSpan StaleAge = TimeSpan.FromMinutes(30);

    /// <summary>Go json.Marshal of the struct: time, exclusive, hostname, username, pid, then uid/gid unless 0.</summary>
    public byte[] Serialize()
    {
        var json = new GoJsonWriter(256);
        json.StartObject();
        json.Name("time"u8);
        json.String(Time.ToString());
        json.Name("exclusive"u8);
        json.Boolean(Exclusive);
        json.Name("hostname"u8);
        json.String(Hostname);
        json.Name("username"u8);
        json.String(Username);
        json.Name("pid"u8);
        json.Number((long)Pid);
        if (Uid != 0)
        {
            json.Name("uid"u8);
            json.Number((ulong)Uid);
        }
        if (Gid != 0)
        {
            json.Name("gid"u8);
            json.Number((ulong)Gid);
        }
        json.EndObject();
        return json.ToArray();
    }

    public static LockInfo Parse(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var root = document.RootElement;
        string Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        uint Unsigned(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetUInt32() : 0;
        return new LockInfo(
            GoTimestamp.Parse(Text("time")),
            root.TryGetProperty("exclusive", out var e) && e.ValueKind == JsonValueKind.True,
            Text("hostname"),
            Text("username"),
            root.TryGetProperty("pid", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt32() : 0,
            Unsigned("uid"),
            Unsigned("gid"));
    }

    /// <summary>restic's test: older than 30 minutes, or made on this host by a process that no longer exists.</summary>
    public bool IsStale(DateTimeOffset now, string thisHost)
    {
        if (now - Time.ToDateTimeOffset() > StaleAge)
            return true;
        return Hostname == thisHost && !PosixProcess.IsAlive(Pid);
    }

    /// <summary>"exclusively by PID 17681 on vm by root (UID 0, GID 0), created 2026-11-22T01:25:49Z".</summary>
    public string Describe() =>
        $"{(Exclusive ? "exclusively " : "")}by PID {Pid} on {Hostname} by {Username} (UID {Uid}, GID {Gid}), created {Time}";
}
