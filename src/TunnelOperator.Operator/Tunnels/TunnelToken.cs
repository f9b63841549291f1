namespace TunnelOperator.Operator.Tunnels;

/// <summary>A Tunnel's edge token as its Secret keeps it. <see cref="Plaintext"/> is a secret: never log it.</summary>
internal sealed record TunnelToken(Guid Id, string Plaintext, DateTimeOffset IssuedAt)
{
    public override string ToString() => $"token {Id} issued {IssuedAt:O}";
}
