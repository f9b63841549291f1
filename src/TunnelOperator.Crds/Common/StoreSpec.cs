using TunnelOperator.Kubernetes.Models.Core;
using TunnelOperator.Crds.Generation;

namespace TunnelOperator.Crds.Common;

/// <summary>The state store of a server the operator runs (an edge or a hive relay).</summary>
[CelRule("self.type != 'postgres' || has(self.databaseUrlSecretRef)", PostgresNeedsDatabaseUrl, FieldPath = ".databaseUrlSecretRef")]
public sealed record StoreSpec
{
    internal const string PostgresNeedsDatabaseUrl = "the postgres store needs databaseUrlSecretRef";

    [Description("Store engine. sqlite keeps state in a file inside the pod and allows a single replica; postgres keeps it in a shared PostgreSQL database and allows several.")]
    [Default(StoreType.Sqlite)]
    public StoreType Type { get; set; } = StoreType.Sqlite;

    [Description("Secret key holding the PostgreSQL connection string (a URL or key=value pairs). Required when type is postgres; ignored for sqlite.")]
    public SecretKeyReference? DatabaseUrlSecretRef { get; init; }

    [Description("Size of the PersistentVolumeClaim that holds the SQLite file, e.g. 1Gi. When absent the file lives in an emptyDir volume and is lost with the pod. Ignored for postgres.")]
    [Pattern(Patterns.Quantity)]
    public IntOrString? VolumeSize { get; init; }

    internal void Validate(string path, List<SpecViolation> violations)
    {
        if (Type == StoreType.Postgres && DatabaseUrlSecretRef is null)
        {
            violations.Add(new($"{path}.databaseUrlSecretRef", PostgresNeedsDatabaseUrl));
        }
    }
}
