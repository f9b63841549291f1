using Microsoft.EntityFrameworkCore;

namespace TunnelOperator.Store.Tenants;

/// <summary>The EF mapping of migration 0002 (tenants, invites, entries, agents, edges).</summary>
internal static class TenantModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<TenantEntity>(tenant =>
        {
            tenant.ToTable("tenants");
            tenant.HasKey(t => t.Id).HasName("pk_tenants");
            tenant.Property(t => t.Id).HasColumnName("id").ValueGeneratedNever();
            tenant.Property(t => t.Name).HasColumnName("name");
            tenant.Property(t => t.AllowedHostnames).HasColumnName("allowed_hostnames");
            tenant.Property(t => t.AllowedPorts).HasColumnName("allowed_ports");
            tenant.Property(t => t.CreatedAt).HasColumnName("created_at");
            tenant.HasIndex(t => t.Name).IsUnique().HasDatabaseName("ux_tenants_name");
        });

        modelBuilder.Entity<InviteEntity>(invite =>
        {
            invite.ToTable("invites");
            invite.HasKey(i => i.Id).HasName("pk_invites");
            invite.Property(i => i.Id).HasColumnName("id").ValueGeneratedNever();
            invite.Property(i => i.TenantId).HasColumnName("tenant_id");
            invite.Property(i => i.SecretHash).HasColumnName("secret_hash");
            invite.Property(i => i.ExpiresAt).HasColumnName("expires_at");
            invite.Property(i => i.CreatedAt).HasColumnName("created_at");
            invite.HasIndex(i => i.TenantId).HasDatabaseName("ix_invites_tenant_id");
            invite.HasOne<TenantEntity>().WithMany().HasForeignKey(i => i.TenantId)
                .OnDelete(DeleteBehavior.Cascade).HasConstraintName("fk_invites_tenants");
        });

        modelBuilder.Entity<TenantEntryEntity>(entry =>
        {
            entry.ToTable("tenant_entries");
            entry.HasKey(e => e.Id).HasName("pk_tenant_entries");
            entry.Property(e => e.Id).HasColumnName("id").ValueGeneratedNever();
            entry.Property(e => e.TenantId).HasColumnName("tenant_id");
            entry.Property(e => e.Kind).HasColumnName("kind");
            entry.Property(e => e.Key).HasColumnName("key");
            entry.Property(e => e.Service).HasColumnName("service");
            entry.Property(e => e.Source).HasColumnName("source");
            entry.Property(e => e.CreatedAt).HasColumnName("created_at");
            entry.HasIndex(e => new { e.Kind, e.Key }).IsUnique().HasDatabaseName("ux_tenant_entries_kind_key");
            entry.HasIndex(e => e.TenantId).HasDatabaseName("ix_tenant_entries_tenant_id");
            entry.HasOne<TenantEntity>().WithMany().HasForeignKey(e => e.TenantId)
                .OnDelete(DeleteBehavior.Cascade).HasConstraintName("fk_tenant_entries_tenants");
        });

        modelBuilder.Entity<TenantAgentEntity>(agent =>
        {
            agent.ToTable("tenant_agents");
            agent.HasKey(a => a.Id).HasName("pk_tenant_agents");
            agent.Property(a => a.Id).HasColumnName("id").ValueGeneratedNever();
            agent.Property(a => a.TenantId).HasColumnName("tenant_id");
            agent.Property(a => a.ConfigHash).HasColumnName("config_hash");
            agent.Property(a => a.RevokedAt).HasColumnName("revoked_at");
            agent.Property(a => a.FirstSeenAt).HasColumnName("first_seen_at");
            agent.Property(a => a.LastSeenAt).HasColumnName("last_seen_at");
            agent.HasIndex(a => a.TenantId).HasDatabaseName("ix_tenant_agents_tenant_id");
            agent.HasOne<TenantEntity>().WithMany().HasForeignKey(a => a.TenantId)
                .OnDelete(DeleteBehavior.Cascade).HasConstraintName("fk_tenant_agents_tenants");
        });

        modelBuilder.Entity<EdgeEntity>(edge =>
        {
            edge.ToTable("edges");
            edge.HasKey(e => e.Url).HasName("pk_edges");
            edge.Property(e => e.Url).HasColumnName("url").ValueGeneratedNever();
            edge.Property(e => e.LastSeenAt).HasColumnName("last_seen_at");
        });
    }
}
