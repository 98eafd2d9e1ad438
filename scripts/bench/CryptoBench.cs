#:project ../../src/Repository/Repository.csproj
#:property Configuration=Release
// Prints blob decryption (Poly1305-AES check + AES-256-CTR) and zstd speeds in MB/s on one core. Not a test: run by scripts/bench-crypto.
using System.Diagnostics;
using System.Text;
using StashMount.Repository.Compression;
using StashMount.Repository.Crypto;

const int blobSize = 1 << 20;   // about restic's average chunk
const int total = 256 << 20;
var key = MasterKey.CreateRandom();
var plaintext = new byte[blobSize];
new Random(42).NextBytes(plaintext);
var stored = AuthenticatedEncryption.Encrypt(key, plaintext);
var output = new byte[blobSize];

var text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 120_000).Select(i => $"line {i}\n")))[..blobSize];
var frame = Zstd.Compress(text);

double Best(Action once, int bytesPerRun)
{
    once();
    var best = 0.0;
    for (var round = 0; round < 5; round++)
    {
        var sw = Stopwatch.StartNew();
        for (var done = 0; done < total; done += bytesPerRun)
            once();
        best = Math.Max(best, total / 1e6 / sw.Elapsed.TotalSeconds);
    }
    return best;
}

Console.WriteLine($"decrypt (MAC check + AES-CTR), 1 MiB blobs: {Best(() => AuthenticatedEncryption.Decrypt(key, stored, output, "bench"), blobSize):F0} MB/s");
Console.WriteLine($"encrypt, 1 MiB blobs: {Best(() => AuthenticatedEncryption.Encrypt(key, plaintext, stored), blobSize):F0} MB/s");
Console.WriteLine($"zstd decompress (text, ratio {(double)text.Length / frame.Length:F1}): {Best(() => Zstd.DecompressExact(frame, output, "bench"), blobSize):F0} MB/s of plaintext");
Console.WriteLine($"zstd compress level {Zstd.AutoLevel} (text): {Best(() => Zstd.Compress(text), blobSize):F0} MB/s");
