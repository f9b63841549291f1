namespace TunnelOperator.Store.Data;

/// <summary>Row of <c>users</c>. Timestamps are UTC <see cref="DateTime"/>s: SQLite cannot order <see cref="DateTimeOffset"/>.</summary>
internal sealed class UserEntity
{
    public Guid Id { get; set; }
    public string Email { get; set; } = string.Empty;
    public string Slug { get; set; } = string.Empty;
    public DateTime CreatedAt { get; set; }

    public UserRecord ToRecord() => new(Id, Email, Slug, Timestamps.ToOffset(CreatedAt));
}
