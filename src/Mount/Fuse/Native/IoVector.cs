namespace StashMount.Mount.Fuse.Native;

/// <summary>struct iovec: one piece of a gathered write.</summary>
internal unsafe struct IoVector
{
    public void* Base;
    public nuint Length;
}
