namespace TunnelOperator.Store.Data;

/// <summary>Row of <c>tunnels</c>: the stable subdomain of one (user, name).</summary>
internal sealed class TunnelEntity
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public string Name { get; set; } = string.Empty;
    public string Subdomain { get; set; } = string.Empty;
    public DateTime CreatedAt { get; set; }

    public TunnelRecord ToRecord() => new(Id, UserId, Name, Subdomain, Timestamps.ToOffset(CreatedAt));
}
