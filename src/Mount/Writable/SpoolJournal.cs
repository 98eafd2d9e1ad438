using System.Buffers;
using System.Text.Json;
using StashMount.Repository;

namespace StashMount.Mount.Writable;

/// <summary>
/// The spool's append-only journal, one JSON object per line: <c>o</c>/<c>c</c> (a file, by inode, was opened for
/// writing / closed; a <c>c</c> may carry the <c>i</c> fields too), <c>i</c> (its data blobs were handed to the writer), <c>p</c> and <c>commit</c> (a snapshot of
/// the tree, whose id is known before the upload, is being uploaded / was saved; emptying the tree follows), <c>b</c> (the boot that writes the records that follow) and <c>s</c>
/// (everything before byte <c>upto</c>, data of the files closed there included, is on disk). Each record is one
/// write(2), so a SIGKILL loses at most a torn last line, which the replay ignores. Records are made durable in
/// groups by <see cref="SpoolDurability"/>, and always before a commit empties the tree; a lost <c>i</c> record
/// only costs reading the file again.
/// </summary>
internal sealed class SpoolJournal : IDisposable
{
    private readonly string _path;
    private readonly string? _bootId;
    private readonly Lock _lock = new();
    private FileStream _stream;

    private SpoolJournal(string path, string? bootId)
    {
        _path = path;
        _bootId = bootId;
        _stream = OpenAppend(path);
        Booted();
    }

    /// <summary>
    /// Replays the journal at <paramref name="path"/> (missing = empty) and opens it for appending, as written in
    /// the boot <paramref name="bootId"/> (null: unknown, every close is trusted at the next replay).
    /// </summary>
    public static SpoolJournal Open(string path, string? bootId, out JournalState state)
    {
        state = Replay(path);
        return new SpoolJournal(path, bootId);
    }

    /// <summary>Bytes appended so far: the position a sync that starts now covers.</summary>
    public long Length
    {
        get { lock (_lock) return _stream.Position; }
    }

    /// <summary>A sync that started when the journal was <paramref name="covered"/> bytes long has completed.</summary>
    public void Synced(long covered) => Append(w => { w.WriteString("t", "s"); w.WriteNumber("upto", covered); });

    private void Booted()
    {
        if (_bootId is { } boot)
            Append(w => { w.WriteString("t", "b"); w.WriteString("boot", boot); });
    }

    public void Opened(ulong inode) => Append(w => { w.WriteString("t", "o"); w.WriteNumber("ino", inode); });

    public void Closed(ulong inode) => Append(w => { w.WriteString("t", "c"); w.WriteNumber("ino", inode); });

    public void Ingested(IngestedFile file) => Append(w => WriteIngested(w, "i", file));

    /// <summary>
    /// A close and the ingestion of that version in one record (one write instead of two per small file ingested
    /// while written); a version that does not know the fields reads it as a plain close and reads the file again.
    /// </summary>
    public void ClosedIngested(IngestedFile file) => Append(w => WriteIngested(w, "c", file));

    private static void WriteIngested(Utf8JsonWriter w, string type, IngestedFile file)
    {
        w.WriteString("t", type);
        w.WriteNumber("ino", file.Inode);
        w.WriteNumber("size", file.Size);
        w.WriteNumber("mtime", file.ModifyNanoseconds);
        w.WriteNumber("ctime", file.ChangeNanoseconds);
        w.WriteStartArray("content");
        foreach (var id in file.Content)
            w.WriteStringValue(id.ToString());
        w.WriteEndArray();
    }

    /// <summary>Records (durably) that <paramref name="snapshot"/>, holding the tree's content, is about to be uploaded.</summary>
    public void Committing(ObjectId snapshot)
    {
        Append(w => { w.WriteString("t", "p"); w.WriteString("snapshot", snapshot.ToString()); });
        Sync();
    }

    /// <summary>Records (durably) that <paramref name="snapshot"/> holds the tree's content.</summary>
    public void Committed(ObjectId snapshot)
    {
        Append(w => { w.WriteString("t", "commit"); w.WriteString("snapshot", snapshot.ToString()); });
        Sync();
    }

    /// <summary>fsync: everything appended so far survives a power loss.</summary>
    public void Sync()
    {
        lock (_lock)
            _stream.Flush(flushToDisk: true);
    }

    /// <summary>Starts an empty journal (after a commit emptied the tree), atomically: temp file, fsync, rename.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            var temp = _path + ".new";
            using (var empty = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 0))
                empty.Flush(flushToDisk: true);
            File.Move(temp, _path, overwrite: true);
            _stream.Dispose();
            _stream = OpenAppend(_path);
            SpoolDirectory.SyncDirectory(Path.GetDirectoryName(_path)!);
        }
        Booted();
    }

    // One JSON writer and buffer per thread, reused: a new Utf8JsonWriter per record cost more than the record's write(2).
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_json;

    private void Append(Action<Utf8JsonWriter> write)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        var json = t_json ??= new Utf8JsonWriter(buffer);
        json.Reset(buffer);
        json.WriteStartObject();
        write(json);
        json.WriteEndObject();
        json.Flush();
        buffer.Write("\n"u8);
        lock (_lock)
            _stream.Write(buffer.WrittenSpan);
    }

    private static FileStream OpenAppend(string path) =>
        new(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);

    private static JournalState Replay(string path)
    {
        var state = new JournalState();
        if (!File.Exists(path))
            return state;
        long offset = 0;
        foreach (var line in File.ReadLines(path))
        {
            var start = offset;
            offset += System.Text.Encoding.UTF8.GetByteCount(line) + 1;
            JsonElement record;
            try
            {
                using var document = JsonDocument.Parse(line);
                record = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                continue; // a torn last line from a kill
            }
            try
            {
                Apply(state, record, start);
            }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
            {
                // A record this version does not understand: it only costs reading a file again.
            }
        }
        return state;
    }

    private static void Apply(JournalState state, JsonElement record, long offset)
    {
        if (!record.TryGetProperty("t", out var kind))
            return;
        switch (kind.GetString())
        {
            case "o":
                var opened = record.GetProperty("ino").GetUInt64();
                state.OpenAtEnd.Add(opened);
                state.Ingested.Remove(opened);
                break;
            case "c":
                var closed = record.GetProperty("ino").GetUInt64();
                state.OpenAtEnd.Remove(closed);
                state.ClosedSinceSync[closed] = offset;
                if (record.TryGetProperty("content", out _))
                    state.Ingested[closed] = ReadIngested(record);
                break;
            case "s":
                var covered = record.GetProperty("upto").GetInt64();
                foreach (var (inode, at) in state.ClosedSinceSync.ToList())
                    if (at < covered)
                        state.ClosedSinceSync.Remove(inode);
                break;
            case "b":
                state.BootId = record.GetProperty("boot").GetString();
                break;
            case "i":
                var file = ReadIngested(record);
                state.Ingested[file.Inode] = file;
                break;
            case "p":
                state.PendingSnapshot = record.GetProperty("snapshot").GetString();
                break;
            case "commit":
                state.CommittedSnapshot = record.GetProperty("snapshot").GetString();
                break;
        }
    }

    private static IngestedFile ReadIngested(JsonElement record)
    {
        var content = record.GetProperty("content").EnumerateArray().Select(e => ObjectId.Parse(e.GetString()!)).ToList();
        return new IngestedFile(record.GetProperty("ino").GetUInt64(), record.GetProperty("size").GetInt64(),
            record.GetProperty("mtime").GetInt64(), record.GetProperty("ctime").GetInt64(), content);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            try { _stream.Flush(flushToDisk: true); } catch (IOException) { }
            _stream.Dispose();
        }
    }
}
