#:project ../../src/Repository/Repository.csproj
// Prints the chunker's speed in MB/s on 256 MiB of pseudo-random data (one core). Not a test: run by scripts/bench-chunker.
using System.Diagnostics;
using StashMount.Repository.Chunker;

const int size = 256 * 1024 * 1024;
var data = new byte[size];
new Random(42).NextBytes(data);
var chunker = new ContentDefinedChunker(0x3DA3358B4DC173);

double Run()
{
    var sw = Stopwatch.StartNew();
    var position = 0;
    var chunks = 0;
    while (position < size)
    {
        var rest = data.AsSpan(position);
        position += chunker.NextChunkLength(rest, endOfInput: true);
        chunks++;
    }
    var seconds = sw.Elapsed.TotalSeconds;
    return size / 1e6 / seconds;
}

Run(); // warm up the JIT
var best = 0.0;
for (var i = 0; i < 5; i++)
    best = Math.Max(best, Run());
Console.WriteLine($"chunker: {best:F0} MB/s (best of 5, 256 MiB random data, one core)");
