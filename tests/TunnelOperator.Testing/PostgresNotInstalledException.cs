namespace TunnelOperator.Testing;

/// <summary>
/// The PostgreSQL server binaries are not on this machine. Test fixtures may turn this into a
/// fail with the package to install (make test installs it).
/// </summary>
public sealed class PostgresNotInstalledException : Exception
{
    public PostgresNotInstalledException()
        : this($"PostgreSQL server binaries (initdb, pg_ctl) were not found under {PostgresServer.InstallRoot}/<version>/bin; "
            + "install Debian's 'postgresql' package: apt-get install -y --no-install-recommends postgresql")
    {
    }

    public PostgresNotInstalledException(string message)
        : base(message)
    {
    }

    public PostgresNotInstalledException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
