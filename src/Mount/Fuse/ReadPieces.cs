using System.Buffers;
using System.Runtime.CompilerServices;

namespace StashMount.Mount.Fuse;

/// <summary>The pins of one gathered read reply, on the stack. A 1 MiB request spans at most three of restic's
/// chunks (512 KiB minimum) plus a file's short last one; anything longer is copied instead.</summary>
[InlineArray(Capacity)]
internal struct ReadPieces
{
    public const int Capacity = 16;

    private MemoryHandle _first;
}
