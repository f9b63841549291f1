using Microsoft.EntityFrameworkCore;
using TunnelOperator.Store.Tenants;

namespace TunnelOperator.Store.Data;

/// <summary>
/// EF Core's view of the schema. The schema itself is created by the hand-written SQL under
/// Migrations/Sql, never by EF (no EnsureCreated): this mapping must describe exactly those
/// tables, which the schema drift tests check on both databases.
/// </summary>
internal sealed class StoreDbContext(DbContextOptions<StoreDbContext> options) : DbContext(options)
{
    public DbSet<UserEntity> Users => Set<UserEntity>();
    public DbSet<ApiTokenEntity> ApiTokens => Set<ApiTokenEntity>();
    public DbSet<TunnelEntity> Tunnels => Set<TunnelEntity>();
    public DbSet<TenantEntity> Tenants => Set<TenantEntity>();
    public DbSet<InviteEntity> Invites => Set<InviteEntity>();
    public DbSet<TenantEntryEntity> TenantEntries => Set<TenantEntryEntity>();
    public DbSet<TenantAgentEntity> TenantAgents => Set<TenantAgentEntity>();
    public DbSet<EdgeEntity> Edges => Set<EdgeEntity>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<UserEntity>(user =>
        {
            user.ToTable("users");
            user.HasKey(u => u.Id).HasName("pk_users");
            user.Property(u => u.Id).HasColumnName("id").ValueGeneratedNever();
            user.Property(u => u.Email).HasColumnName("email");
            user.Property(u => u.Slug).HasColumnName("slug");
            user.Property(u => u.CreatedAt).HasColumnName("created_at");
            user.HasIndex(u => u.Email).IsUnique().HasDatabaseName("ux_users_email");
            user.HasIndex(u => u.Slug).IsUnique().HasDatabaseName("ux_users_slug");
        });

        modelBuilder.Entity<ApiTokenEntity>(token =>
        {
            token.ToTable("api_tokens");
            token.HasKey(t => t.Id).HasName("pk_api_tokens");
            token.Property(t => t.Id).HasColumnName("id").ValueGeneratedNever();
            token.Property(t => t.UserId).HasColumnName("user_id");
            token.Property(t => t.TokenHash).HasColumnName("token_hash");
            token.Property(t => t.Name).HasColumnName("name");
            token.Property(t => t.CreatedAt).HasColumnName("created_at");
            token.Property(t => t.LastUsedAt).HasColumnName("last_used_at");
            token.HasIndex(t => t.TokenHash).IsUnique().HasDatabaseName("ux_api_tokens_token_hash");
            token.HasIndex(t => t.UserId).HasDatabaseName("ix_api_tokens_user_id");
            token.HasOne<UserEntity>().WithMany().HasForeignKey(t => t.UserId)
                .OnDelete(DeleteBehavior.Cascade).HasConstraintName("fk_api_tokens_users");
        });

        modelBuilder.Entity<TunnelEntity>(tunnel =>
        {
            tunnel.ToTable("tunnels");
            tunnel.HasKey(t => t.Id).HasName("pk_tunnels");
            tunnel.Property(t => t.Id).HasColumnName("id").ValueGeneratedNever();
            tunnel.Property(t => t.UserId).HasColumnName("user_id");
            tunnel.Property(t => t.Name).HasColumnName("name");
            tunnel.Property(t => t.Subdomain).HasColumnName("subdomain");
            tunnel.Property(t => t.CreatedAt).HasColumnName("created_at");
            tunnel.HasIndex(t => t.Subdomain).IsUnique().HasDatabaseName("ux_tunnels_subdomain");
            // Also serves the foreign key: user_id leads, so EF adds no separate user_id index.
            tunnel.HasIndex(t => new { t.UserId, t.Name }).IsUnique().HasDatabaseName("ux_tunnels_user_id_name");
            tunnel.HasOne<UserEntity>().WithMany().HasForeignKey(t => t.UserId)
                .OnDelete(DeleteBehavior.Cascade).HasConstraintName("fk_tunnels_users");
        });

        TenantModel.Configure(modelBuilder);
    }
}
