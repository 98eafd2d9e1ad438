namespace StashMount.Mount.Commands;

/// <summary>Go's os.FileMode.String(), which restic's ls prints: type letters, then rwxrwxrwx.</summary>
internal static class FileModeText
{
    // One letter per high bit, from bit 31 down to bit 19 (Go's "dalTLDpSugct?").
    private const string TypeLetters = "dalTLDpSugct?";

    public static string ToText(uint mode)
    {
        Span<char> buffer = stackalloc char[TypeLetters.Length + 9];
        var n = 0;
        for (var i = 0; i < TypeLetters.Length; i++)
            if ((mode & (1u << (31 - i))) != 0)
                buffer[n++] = TypeLetters[i];
        if (n == 0)
            buffer[n++] = '-';
        const string rwx = "rwxrwxrwx";
        for (var i = 0; i < 9; i++)
            buffer[n++] = (mode & (1u << (8 - i))) != 0 ? rwx[i] : '-';
        return new string(buffer[..n]);
    }
}
