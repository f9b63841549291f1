namespace TunnelOperator.Store.Tests.Support;

/// <summary>The two databases every store behaviour is checked against.</summary>
public enum Backend
{
    Sqlite,
    Postgres,
}
