namespace TunnelOperator.Store;

/// <summary>A freshly issued token. <paramref name="Plaintext"/> exists only here: the store keeps its hash.</summary>
public sealed record IssuedToken(Guid Id, string Name, string Plaintext, UserRecord User)
{
    // Records print every member; keep the secret out of logs and exception messages.
    public override string ToString() => $"IssuedToken {{ Id = {Id}, Name = {Name}, User = {User.Email} }}";
}
