using System.Runtime.InteropServices;

namespace StashMount.Repository.Crypto;

/// <summary>
/// AES-256-CTR and Poly1305 from the system's OpenSSL 3 libcrypto (the library .NET's own cryptography already
/// loads on Linux). Hand-bound because .NET exposes neither CTR mode nor a bare Poly1305, and no served package
/// does either with OpenSSL's assembly (VAES/AVX-512): this makes blob decryption several times faster than the
/// managed fallbacks, which stay in use (and are the tests' oracle) when libcrypto.so.3 cannot be loaded.
/// The EVP contexts are per thread and re-initialised with each call's key, so no call allocates.
/// </summary>
internal static unsafe class OpenSslPrimitives
{
    private static readonly delegate* unmanaged<nint> CipherCtxNew;
    private static readonly delegate* unmanaged<nint, nint, byte*, byte*, nint, int> EncryptInit;
    private static readonly delegate* unmanaged<nint, byte*, int*, byte*, int, int> EncryptUpdate;
    private static readonly delegate* unmanaged<nint, nint> MacCtxNew;
    private static readonly delegate* unmanaged<nint, byte*, nuint, nint, int> MacInit;
    private static readonly delegate* unmanaged<nint, byte*, nuint, int> MacUpdate;
    private static readonly delegate* unmanaged<nint, byte*, nuint*, nuint, int> MacFinal;
    private static readonly nint Aes256Ctr;
    private static readonly nint Poly1305Mac;

    [ThreadStatic]
    private static nint t_cipherContext;

    [ThreadStatic]
    private static nint t_macContext;

    static OpenSslPrimitives()
    {
        if (Environment.GetEnvironmentVariable("STASHMOUNT_MANAGED_CRYPTO") == "1" || !NativeLibrary.TryLoad("libcrypto.so.3", out var library))
            return;
        try
        {
            CipherCtxNew = (delegate* unmanaged<nint>)NativeLibrary.GetExport(library, "EVP_CIPHER_CTX_new");
            EncryptInit = (delegate* unmanaged<nint, nint, byte*, byte*, nint, int>)NativeLibrary.GetExport(library, "EVP_EncryptInit_ex2");
            EncryptUpdate = (delegate* unmanaged<nint, byte*, int*, byte*, int, int>)NativeLibrary.GetExport(library, "EVP_EncryptUpdate");
            MacCtxNew = (delegate* unmanaged<nint, nint>)NativeLibrary.GetExport(library, "EVP_MAC_CTX_new");
            MacInit = (delegate* unmanaged<nint, byte*, nuint, nint, int>)NativeLibrary.GetExport(library, "EVP_MAC_init");
            MacUpdate = (delegate* unmanaged<nint, byte*, nuint, int>)NativeLibrary.GetExport(library, "EVP_MAC_update");
            MacFinal = (delegate* unmanaged<nint, byte*, nuint*, nuint, int>)NativeLibrary.GetExport(library, "EVP_MAC_final");
            var cipherFetch = (delegate* unmanaged<nint, byte*, byte*, nint>)NativeLibrary.GetExport(library, "EVP_CIPHER_fetch");
            var macFetch = (delegate* unmanaged<nint, byte*, byte*, nint>)NativeLibrary.GetExport(library, "EVP_MAC_fetch");
            fixed (byte* aesName = "AES-256-CTR\0"u8)
            fixed (byte* macName = "POLY1305\0"u8)
            {
                Aes256Ctr = cipherFetch(0, aesName, null);
                Poly1305Mac = macFetch(0, macName, null);
            }
        }
        catch (EntryPointNotFoundException)
        {
            Aes256Ctr = Poly1305Mac = 0;
        }
    }

    public static bool HasAesCtr => Aes256Ctr != 0;

    public static bool HasPoly1305 => Poly1305Mac != 0;

    /// <summary>AES-256-CTR with a big-endian 128-bit counter starting at <paramref name="iv"/> (as Go's cipher.NewCTR).</summary>
    public static void AesCtrTransform(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output)
    {
        var context = t_cipherContext;
        if (context == 0)
            t_cipherContext = context = Check(CipherCtxNew(), "EVP_CIPHER_CTX_new");
        fixed (byte* k = key)
        fixed (byte* v = iv)
        fixed (byte* i = input)
        fixed (byte* o = output)
        {
            Check(EncryptInit(context, Aes256Ctr, k, v, 0), "EVP_EncryptInit_ex2");
            for (var done = 0; done < input.Length;)
            {
                var chunk = Math.Min(input.Length - done, 1 << 30);
                int written;
                Check(EncryptUpdate(context, o + done, &written, i + done, chunk), "EVP_EncryptUpdate");
                done += chunk;
            }
        }
    }

    /// <summary>The Poly1305 tag of <paramref name="message"/> under the one-time key r (clamped by OpenSSL) and s.</summary>
    public static void Poly1305Tag(ReadOnlySpan<byte> r, ReadOnlySpan<byte> s, ReadOnlySpan<byte> message, Span<byte> tag)
    {
        var context = t_macContext;
        if (context == 0)
            t_macContext = context = Check(MacCtxNew(Poly1305Mac), "EVP_MAC_CTX_new");
        byte* key = stackalloc byte[32];
        r[..16].CopyTo(new Span<byte>(key, 16));
        s[..16].CopyTo(new Span<byte>(key + 16, 16));
        try
        {
            fixed (byte* m = message)
            fixed (byte* t = tag)
            {
                Check(MacInit(context, key, 32, 0), "EVP_MAC_init");
                Check(MacUpdate(context, m, (nuint)message.Length), "EVP_MAC_update");
                nuint length;
                Check(MacFinal(context, t, &length, (nuint)tag.Length), "EVP_MAC_final");
            }
        }
        finally
        {
            new Span<byte>(key, 32).Clear();
        }
    }

    private static nint Check(nint pointer, string function) =>
        pointer != 0 ? pointer : throw new InvalidOperationException($"OpenSSL {function} failed");

    private static void Check(int result, string function)
    {
        if (result != 1)
            throw new InvalidOperationException($"OpenSSL {function} failed");
    }
}
