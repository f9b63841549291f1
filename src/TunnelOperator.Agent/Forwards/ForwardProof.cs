using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace TunnelOperator.Agent.Forwards;

/// <summary>
/// How a forward client shows that it holds one of the server's auth tokens without sending
/// the token: the server opens every forward stream with a fresh random challenge, and the
/// client answers with HMAC-SHA256 over that challenge and the request it makes, keyed with
/// SHA-256 of the token. The edge relays both messages and so learns neither the token nor
/// anything it could use later: a proof is good for one challenge, which the server never
/// repeats, and for one source, so a relay that rewrites the source invalidates it.
/// <para>
/// The server keeps only the SHA-256 of each token (<see cref="ForwardTokenSet"/>). That
/// digest is the HMAC key, so whoever reads it out of the server's memory can connect to
/// that server, but not learn the token or use it anywhere else.
/// </para>
/// </summary>
public static class ForwardProof
{
    /// <summary>Bytes in a challenge; a challenge of any other length is refused.</summary>
    public const int ChallengeLength = 32;

    /// <summary>Bytes in a proof (the HMAC-SHA256 output).</summary>
    public const int ProofLength = HMACSHA256.HashSizeInBytes;

    // Domain separation: a proof is never valid as any other HMAC this key might make.
    private static readonly byte[] Label = "tunneloperator forward token proof v1"u8.ToArray();

    /// <summary>A fresh challenge from the system's cryptographic random generator.</summary>
    public static byte[] NewChallenge() => RandomNumberGenerator.GetBytes(ChallengeLength);

    /// <summary>The key a token proves with, and all a server keeps of the token.</summary>
    public static byte[] KeyOf(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>The proof for one request on the stream that <paramref name="challenge"/> opened.</summary>
    public static byte[] Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> challenge, string source, bool probe)
    {
        if (challenge.Length != ChallengeLength)
        {
            throw new ArgumentException($"a challenge has {ChallengeLength} bytes, this one {challenge.Length}", nameof(challenge));
        }

        return HMACSHA256.HashData(key, Transcript(challenge, source, probe));
    }

    /// <summary>
    /// What the proof covers: the label, the challenge, the probe flag and the source, each
    /// of variable length prefixed with its length so no two requests share a transcript.
    /// </summary>
    private static byte[] Transcript(ReadOnlySpan<byte> challenge, string source, bool probe)
    {
        var sourceBytes = Encoding.UTF8.GetBytes(source);
        var transcript = new byte[Label.Length + challenge.Length + 1 + 4 + sourceBytes.Length];
        var span = transcript.AsSpan();
        Label.CopyTo(span);
        span = span[Label.Length..];
        challenge.CopyTo(span);
        span = span[challenge.Length..];
        span[0] = probe ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt32BigEndian(span[1..], sourceBytes.Length);
        sourceBytes.CopyTo(span[5..]);
        return transcript;
    }
}
