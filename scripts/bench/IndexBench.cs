#:project ../../src/Repository/Repository.csproj
#:property Configuration=Release
#:property TieredCompilation=false
#:property TieredPGO=false
// Loads a synthetic index of 1,000,000 blobs (20 encrypted, zstd-compressed index files of 50,000 blobs in packs of
// 40, as a v2 repository stores them) and prints the load time and the index's bytes per blob. Issue #2's goal:
// < 2 s and < 64 bytes per blob. Not a test: run by scripts/bench-read.
// Tiering is off as in src/Mount/Mount.csproj, so the first load runs the JIT as stashmount's does: each method compiled
// once, optimized, instead of the first load running unoptimized code while a tier-1 copy is compiled on the other core.
using System.Diagnostics;
using System.Security.Cryptography;
using StashMount.Repository.Compression;
using StashMount.Repository.Crypto;
using StashMount.Repository;
using StashMount.Repository.Index;

const int total = 1_000_000, perFile = IndexFileSerializer.MaxBlobsPerFile, perPack = 40;
var key = MasterKey.CreateRandom();
ObjectId RandomId() => new(RandomNumberGenerator.GetBytes(32));

var stored = new List<byte[]>();
for (var start = 0; start < total; start += perFile)
{
    var packs = new List<KeyValuePair<ObjectId, IReadOnlyList<PackedBlob>>>();
    for (var first = start; first < start + perFile; first += perPack)
    {
        var packId = RandomId();
        var blobs = new PackedBlob[perPack];
        for (var n = 0; n < perPack; n++)
            blobs[n] = new PackedBlob(RandomId(), n == 0 ? BlobType.Tree : BlobType.Data, packId, (uint)n * 400_000, 400_000, 0);
        packs.Add(new(packId, blobs));
    }
    stored.Add(AuthenticatedEncryption.Encrypt(key, UnpackedEncoding.Encode(IndexFileSerializer.Serialize(packs), 2)));
}

for (var round = 1; round <= 3; round++)
{
    var before = GC.GetTotalMemory(forceFullCollection: true);
    var clock = Stopwatch.StartNew();
    var index = new BlobIndex();
    Load(index);
    var seconds = clock.Elapsed.TotalSeconds;
    var after = GC.GetTotalMemory(forceFullCollection: true);
    Console.WriteLine($"index of {index.Count:N0} blobs, round {round}: loaded in {seconds:F2} s, " +
        $"{index.ApproximateBytes / (double)total:F1} bytes per blob in its tables ({(after - before) / (double)total:F1} on the GC heap)");
    GC.KeepAlive(index);
}

// As the repository loads them: files decoded and parsed in parallel, each added as it is ready, with one pool of
// buffers for the load that is dropped when it ends (a local function, so that no closure keeps it alive).
void Load(BlobIndex index)
{
    var buffers = IndexFileDecoder.CreateBufferPool();
    Parallel.ForEach(stored, file => index.Add(IndexFileDecoder.Decode(key, file, 2, "index", buffers).Blobs));
}
