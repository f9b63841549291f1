using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using Google.Protobuf;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Protocol.Tenants;

/// <summary>
/// An invite token, <c>tinv1_&lt;base64url(InviteTokenPayload)&gt;</c>: the tenant and invite ids,
/// the 32-byte invite secret, the edges to connect to, and the hub URL. Agents present it as
/// their hello token; the hub checks the secret against the SHA-256 it stored.
/// </summary>
public sealed record InviteToken(Guid TenantId, Guid InviteId, byte[] Secret, IReadOnlyList<string> EdgeUrls, string? HubUrl)
{
    public const string Prefix = "tinv1_";

    public const int SecretBytes = 32;

    /// <summary>Far above a real token (a few hundred bytes); bounds what the parser decodes.</summary>
    public const int MaxLength = 4096;

    public static bool LooksLikeInvite(string? token) => token is not null && token.TrimStart().StartsWith(Prefix, StringComparison.Ordinal);

    public string Encode()
    {
        var payload = new InviteTokenPayload
        {
            TenantId = TenantId.ToString("N"),
            InviteId = InviteId.ToString("N"),
            Secret = ByteString.CopyFrom(Secret),
            HubUrl = HubUrl ?? string.Empty,
        };
        payload.EdgeUrls.AddRange(EdgeUrls);
        return Prefix + Base64Url.EncodeToString(payload.ToByteArray());
    }

    /// <summary>Decodes a token; false with a reason for anything that is not one (never throws).</summary>
    public static bool TryParse(string? token, [NotNullWhen(true)] out InviteToken? invite, out string problem)
    {
        invite = null;
        token = token?.Trim();
        if (string.IsNullOrEmpty(token) || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            problem = $"an invite token starts with '{Prefix}'";
            return false;
        }

        if (token.Length > MaxLength)
        {
            problem = $"the invite token is longer than {MaxLength} characters";
            return false;
        }

        InviteTokenPayload payload;
        try
        {
            payload = InviteTokenPayload.Parser.ParseFrom(Base64Url.DecodeFromChars(token.AsSpan(Prefix.Length)));
        }
        catch (Exception e) when (e is FormatException or InvalidProtocolBufferException)
        {
            problem = "the invite token is damaged (it does not decode); copy it again from 'tunneld invite create'";
            return false;
        }

        if (!Guid.TryParseExact(payload.TenantId, "N", out var tenant) || !Guid.TryParseExact(payload.InviteId, "N", out var inviteId) || payload.Secret.Length != SecretBytes)
        {
            problem = "the invite token is damaged (its tenant, invite or secret is missing); copy it again from 'tunneld invite create'";
            return false;
        }

        invite = new InviteToken(tenant, inviteId, payload.Secret.ToByteArray(), [.. payload.EdgeUrls], payload.HubUrl.Length == 0 ? null : payload.HubUrl);
        problem = string.Empty;
        return true;
    }
}
